package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.Waits;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.tools.JugglerCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The command-line tools as the README runs them, against the real server and Redis. */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class ToolsIT {

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear();
  }

  private static String url() {
    return WsClient.endpoint().toString();
  }

  /**
   * The tools' call timeouts and waits: the tests' settable wait, so that a loaded machine does not
   * expire a call or miss an event that a correct server delivers.
   */
  private static final String WAIT = Waits.SOON.toSeconds() + "s";

  /** Runs {@code juggler <args>} in this JVM with {@code stdin}; returns what it printed. */
  private static String run(int expectedExit, String stdin, String... args) {
    PrintStream out = System.out;
    InputStream in = System.in;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      exit = JugglerCommand.commandLine().execute(args);
    } finally {
      System.setOut(out);
      System.setIn(in);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertEquals(expectedExit, exit, text);
    return text;
  }

  /**
   * Runs {@code juggler load} with {@code options} against the server, the tests' wait as its call
   * timeout, and the server's counters printed.
   */
  private static String loadCalls(String... options) {
    List<String> args = new ArrayList<>(List.of("load", "--url", url()));
    args.addAll(List.of(options));
    args.addAll(List.of("--timeout", WAIT, "--metrics"));
    return run(0, "", args.toArray(String[]::new));
  }

  @Test
  void loadCallsInAClosedLoopAndReportsTheServersCounters() {
    String out = loadCalls("--connections", "5", "--duration", "2s");
    Matcher m =
        Pattern.compile(
                "calls sent (\\d+), RES (\\d+) \\(error results 0\\), NACK 0, expired 0, failed 0")
            .matcher(out);
    assertTrue(m.find(), out);
    assertEquals(m.group(1), m.group(2), "every call got its RES");
    assertTrue(Long.parseLong(m.group(2)) > 0, out);
    assertTrue(
        out.contains("MsgsCALL +" + m.group(1)), "the server counted the same calls: " + out);
    assertTrue(out.matches("(?s).*latency \\(RES and NACK\\): n=" + m.group(2) + " min .*"), out);
  }

  @Test
  void loadAtAFixedRateSpreadsCallsOverTheUris() {
    String out =
        loadCalls(
            "--connections",
            "2",
            "--rate",
            "50",
            "--duration",
            "1s",
            "--uri",
            "test.echo,test.reverse");
    Matcher m = Pattern.compile("calls sent (\\d+), RES (\\d+)").matcher(out);
    assertTrue(m.find(), out);
    long sent = Long.parseLong(m.group(1));
    // 2 connections x 50/s x 1 s, however late the ticks run
    assertEquals(100, sent, out);
    assertEquals(m.group(1), m.group(2), out);
  }

  @Test
  void loadPubSubDeliversEveryEventOnceAndInOrder() {
    String out =
        run(
            0,
            "",
            "load",
            "pubsub",
            "--url",
            url(),
            "--channel",
            "tools.it",
            "--publishers",
            "2",
            "--subscribers",
            "3",
            "--in-flight",
            "1",
            "--duration",
            "2s",
            "--wait",
            WAIT);
    assertTrue(out.contains("lost 0, reordered 0, duplicated 0, subscribers disconnected 0"), out);
    Matcher m =
        Pattern.compile("published (\\d+) \\(failed 0\\).*delivered (\\d+) events").matcher(out);
    assertTrue(m.find(), out);
    assertEquals(3 * Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), out);
  }

  @Test
  void loadIdleChecksTheHeldConnectionsStillGetEvents() {
    String out =
        run(
            0,
            "",
            "load",
            "idle",
            "--url",
            url(),
            "--connections",
            "50",
            "--channel-prefix",
            "tools.idle.",
            "--hold",
            "1s",
            "--wait",
            WAIT);
    assertTrue(out.contains("50 of 50 still connected, 50 of 50 got their event"), out);
  }

  @Test
  void theInteractiveClientCallsSubscribesAndPublishes() {
    String script =
        String.join(
            "\n",
            "connect " + url(),
            "sub 1 tools.client",
            "call 1 test.reverse \"abc\" " + Waits.SOON.toMillis(),
            "pub 1 tools.client {\"n\":1}",
            // its RES comes half a second later: by then the event has come back
            "call 1 test.delay 500 " + Waits.SOON.toMillis(),
            "exit",
            "");
    String out = run(0, script, "client");
    assertTrue(out.contains("[1] call#1 test.reverse RES \"cba\""), out);
    assertTrue(out.contains("{\"n\":1}"), "the event came back to its subscriber: " + out);
  }
}
