package dev.juggler.tools.load;

import dev.juggler.client.ClientOptions;
import dev.juggler.client.JugglerClient;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.tools.cli.DurationConverter;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code juggler load idle}: opens many connections, each subscribed to a channel of its own, and
 * holds them, so that what an idle connection costs the server and Redis can be read off while they
 * are open. At the end it publishes one event on each channel and counts those delivered: the
 * connections must still work, not just be open.
 */
@Command(
    name = "idle",
    mixinStandardHelpOptions = true,
    description = "Holds many subscribed connections open, then checks each still gets events.")
public final class IdleCommand implements Callable<Integer> {

  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:9080/ws",
      description = "Default: ${DEFAULT-VALUE}")
  URI url;

  @Option(names = "--connections", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}")
  int connections;

  @Option(
      names = "--channel-prefix",
      defaultValue = "idle.",
      description = "Connection i subscribes to <prefix><i>. Default: ${DEFAULT-VALUE}")
  String prefix;

  @Option(
      names = "--hold",
      defaultValue = "30s",
      description = "How long to hold them once all are subscribed. Default: ${DEFAULT-VALUE}")
  Duration hold;

  @Option(
      names = "--wait",
      defaultValue = "60s",
      description =
          "How long to wait for a connection, an ACK, and at the end for the events. Default:"
              + " ${DEFAULT-VALUE}")
  Duration wait;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (connections < 1) {
      throw new IllegalArgumentException("need --connections >= 1");
    }
    out.printf(
        "url %s, connections %d, channels %s0..%s%d, hold %s%n",
        url, connections, prefix, prefix, connections - 1, DurationConverter.format(hold));
    ClientOptions options = LoadClients.options(wait);
    List<JugglerClient> clients = new ArrayList<>();
    AtomicLongArray received = new AtomicLongArray(connections);
    long start = System.nanoTime();
    try {
      List<CompletableFuture<Void>> subscribed = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        JugglerClient c = JugglerClient.connect(url, options);
        clients.add(c);
        int index = i;
        subscribed.add(c.subscribe(prefix + i, e -> received.incrementAndGet(index)));
      }
      // each ends by its ACK timeout at the latest
      CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).join();
      out.printf(
          "%d connections open and subscribed in %.1fs; holding%n",
          connections, (System.nanoTime() - start) / 1e9);
      Thread.sleep(hold.toMillis());
      long open = clients.stream().filter(JugglerClient::isConnected).count();
      // one event per channel, published from the connections themselves
      List<CompletableFuture<Void>> published = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        published.add(clients.get(i).publish(prefix + i, new RawJson("\"ping\"")));
      }
      CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).join();
      long deadline = System.nanoTime() + wait.toNanos();
      long delivered;
      do {
        Thread.sleep(100);
        delivered = 0;
        for (int i = 0; i < connections; i++) {
          delivered += received.get(i) > 0 ? 1 : 0;
        }
      } while (delivered < connections && System.nanoTime() < deadline);
      out.printf(
          "after %s: %d of %d still connected, %d of %d got their event%n",
          DurationConverter.format(hold), open, connections, delivered, connections);
      return open == connections && delivered == connections ? 0 : 1;
    } finally {
      clients.forEach(JugglerClient::close);
    }
  }
}
