package dev.juggler.tools.load;

import dev.juggler.client.ClientOptions;
import dev.juggler.client.JugglerClient;
import dev.juggler.core.message.RawJson;
import dev.juggler.tools.DurationConverter;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code juggler load}: N connections call the server for a while, each in a closed loop (the next
 * call when the previous one ended) or at a fixed rate; prints the counts, the throughput and the
 * latency distribution.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = "Calls the server from many connections and reports throughput and latency.",
    subcommands = {PubSubCommand.class})
public final class LoadCommand implements Callable<Integer> {

  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:9080/ws",
      description = "Default: ${DEFAULT-VALUE}")
  URI url;

  @Option(names = "--connections", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}")
  int connections;

  @Option(names = "--duration", defaultValue = "10s", description = "Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Calls per second per connection; 0 = closed loop. Default: ${DEFAULT-VALUE}")
  int rate;

  @Option(
      names = "--uri",
      defaultValue = "test.echo",
      split = ",",
      description = "URIs to call, comma-separated, used in turn. Default: ${DEFAULT-VALUE}")
  List<String> uris;

  @Option(
      names = "--payload",
      defaultValue = "hello",
      description = "Sent as a JSON string. Default: ${DEFAULT-VALUE}")
  String payload;

  @Option(
      names = "--timeout",
      defaultValue = "1s",
      description = "Call timeout. Default: ${DEFAULT-VALUE}")
  Duration timeout;

  URI url() {
    return url;
  }

  int connections() {
    return connections;
  }

  Duration duration() {
    return duration;
  }

  int rate() {
    return rate;
  }

  List<String> uris() {
    return uris;
  }

  String payload() {
    return payload;
  }

  Duration timeout() {
    return timeout;
  }

  @Option(
      names = "--metrics",
      description = "Print the server's counters that moved during the run (/metrics).")
  boolean metrics;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (connections < 1 || rate < 0 || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("need --connections >= 1, --rate >= 0, --timeout > 0");
    }
    out.println(configuration());
    RawJson args;
    try (Jsonb jsonb = JsonbBuilder.create()) {
      args = new RawJson(jsonb.toJson(payload));
    }
    CallStats stats = new CallStats(highestMicros(timeout));
    Map<String, Double> before = metrics ? ServerMetrics.fetch(url) : Map.of();
    List<JugglerClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        clients.add(JugglerClient.connect(url, ClientOptions.defaults()));
      }
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        JugglerClient c = clients.get(i);
        int first = i;
        Thread t = new Thread(() -> drive(c, first, args, end, stats), "load-" + i);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      long elapsed = System.nanoTime() - start;
      out.println(report(stats, elapsed));
      if (metrics) {
        out.println(ServerMetrics.deltas(before, ServerMetrics.fetch(url)));
      }
    } finally {
      clients.forEach(JugglerClient::close);
    }
    return 0;
  }

  /** One connection's loop; returns when its last call ended. */
  private void drive(JugglerClient c, int first, RawJson args, long end, CallStats stats) {
    // closed loop: one call in flight; fixed rate: as many as the timeout allows
    Semaphore inFlight = new Semaphore(rate == 0 ? 1 : Integer.MAX_VALUE);
    long interval = rate == 0 ? 0 : 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (long n = first; System.nanoTime() < end; n++) {
      if (interval > 0) {
        LockSupport.parkNanos(next - System.nanoTime());
        next += interval;
        if (System.nanoTime() >= end) {
          break;
        }
      }
      inFlight.acquireUninterruptibly();
      String uri = uris.get((int) (n % uris.size()));
      long sentAt = System.nanoTime();
      stats.sent.increment();
      CompletableFuture<RawJson> f;
      try {
        f = c.call(uri, args, timeout);
      } catch (RuntimeException e) {
        stats.record(sentAt, null, e);
        inFlight.release();
        continue;
      }
      f.whenComplete(
          (r, e) -> {
            stats.record(sentAt, r, e);
            inFlight.release();
          });
    }
    // every call ends by its timeout at the latest
    int permits = rate == 0 ? 1 : Integer.MAX_VALUE;
    try {
      inFlight.tryAcquire(permits, timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String configuration() {
    return String.format(
        "url %s, connections %d, duration %s, rate %s, uris %s, payload \"%s\", timeout %s",
        url,
        connections,
        DurationConverter.format(duration),
        rate == 0 ? "closed loop" : rate + " calls/s per connection",
        String.join(",", uris),
        payload,
        DurationConverter.format(timeout));
  }

  static String report(CallStats stats, long elapsedNanos) {
    Histogram h = stats.latencies();
    return String.join(
        System.lineSeparator(),
        String.format(
            "calls sent %d, RES %d (error results %d), NACK %d, expired %d, failed %d",
            stats.sent.sum(),
            stats.results.sum(),
            stats.errorResults.sum(),
            stats.nacks.sum(),
            stats.expired.sum(),
            stats.failed.sum()),
        String.format(
            Locale.ROOT,
            "elapsed %.3fs, throughput %s results",
            elapsedNanos / 1e9,
            LatencyReport.rate(stats.results.sum(), elapsedNanos)),
        LatencyReport.format("RES and NACK", h));
  }

  /** Above any latency a call can have: it ends by its timeout. */
  static long highestMicros(Duration timeout) {
    return TimeUnit.NANOSECONDS.toMicros(timeout.toNanos()) * 2 + 10_000_000;
  }
}
