package dev.juggler.tools.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.tools.JugglerCommand;
import dev.juggler.tools.cli.DurationConverter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class CommandLineTest {

  @Test
  void loadDefaults() {
    ParseResult r = JugglerCommand.commandLine().parseArgs("load");
    LoadCommand load = r.subcommand().commandSpec().commandLine().getCommand();
    assertEquals("ws://127.0.0.1:9080/ws", load.url().toString());
    assertEquals(10, load.connections());
    assertEquals(Duration.ofSeconds(10), load.duration());
    assertEquals(0, load.rate());
    assertEquals(List.of("test.echo"), load.uris());
    assertEquals("hello", load.payload());
    assertEquals(Duration.ofSeconds(1), load.timeout());
  }

  @Test
  void loadOptions() {
    ParseResult r =
        JugglerCommand.commandLine()
            .parseArgs(
                "load",
                "--url",
                "ws://h:1/ws",
                "--connections",
                "3",
                "--duration",
                "500ms",
                "--rate",
                "100",
                "--uri",
                "test.echo,test.reverse",
                "--payload",
                "x y",
                "--timeout",
                "2s");
    LoadCommand load = r.subcommand().commandSpec().commandLine().getCommand();
    assertEquals("ws://h:1/ws", load.url().toString());
    assertEquals(3, load.connections());
    assertEquals(Duration.ofMillis(500), load.duration());
    assertEquals(100, load.rate());
    assertEquals(List.of("test.echo", "test.reverse"), load.uris());
    assertEquals("x y", load.payload());
    assertEquals(Duration.ofSeconds(2), load.timeout());
  }

  @Test
  void pubsubOptions() {
    ParseResult r =
        JugglerCommand.commandLine()
            .parseArgs(
                "load",
                "pubsub",
                "--publishers",
                "2",
                "--subscribers",
                "5",
                "--channel",
                "c",
                "--in-flight",
                "4",
                "--duration",
                "3s",
                "--wait",
                "1m");
    PubSubCommand ps = r.subcommand().subcommand().commandSpec().commandLine().getCommand();
    assertEquals(2, ps.publishers());
    assertEquals(5, ps.subscribers());
    assertEquals("c", ps.channel());
    assertEquals(4, ps.inFlight());
    assertEquals(Duration.ofSeconds(3), ps.duration());
    assertEquals(Duration.ofMinutes(1), ps.waitFor());
  }

  @Test
  void badDurationIsAUsageError() {
    CommandLine cl = JugglerCommand.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertEquals(2, cl.execute("load", "--duration", "ten"));
    assertTrue(err.toString().contains("not a duration"), err.toString());
  }

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(250), DurationConverter.parse("250ms"));
    assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
    assertEquals(Duration.ofNanos(5000), DurationConverter.parse("5us"));
    assertThrows(IllegalArgumentException.class, () -> DurationConverter.parse("1.5s"));
    assertEquals("10s", DurationConverter.format(Duration.ofSeconds(10)));
    assertEquals("1500ms", DurationConverter.format(Duration.ofMillis(1500)));
    assertEquals("2m", DurationConverter.format(Duration.ofMinutes(2)));
  }
}
