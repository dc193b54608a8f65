package dev.juggler.tools.load;

import dev.juggler.client.ClientOptions;
import dev.juggler.client.JugglerClient;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.tools.cli.DurationConverter;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
    subcommands = {PubSubCommand.class, IdleCommand.class})
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
    Map<String, Double> before = metrics ? CounterScrape.fetch(url) : Map.of();
    List<JugglerClient> clients = new ArrayList<>();
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "load-ticker");
              t.setDaemon(true);
              return t;
            });
    try {
      ClientOptions options = LoadClients.options();
      for (int i = 0; i < connections; i++) {
        clients.add(JugglerClient.connect(url, options));
      }
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      List<Driver> drivers = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        Driver d = new Driver(clients.get(i), i, args, end, stats);
        drivers.add(d);
        if (rate == 0) {
          d.next();
        } else {
          long interval = 1_000_000_000L / rate;
          // spread the connections' ticks over one interval
          long offset = interval * i / connections;
          d.firstTick = start + offset;
          d.interval = interval;
          d.tick = ticker.scheduleAtFixedRate(d::fire, offset, interval, TimeUnit.NANOSECONDS);
        }
      }
      // every call ends by its timeout at the latest
      long deadline = end + timeout.toNanos() + TimeUnit.SECONDS.toNanos(5);
      for (Driver d : drivers) {
        d.awaitDone(deadline);
      }
      long elapsed = System.nanoTime() - start;
      out.println(report(stats, elapsed));
      if (metrics) {
        out.println(CounterScrape.deltas(before, CounterScrape.fetch(url)));
      }
    } finally {
      ticker.shutdownNow();
      clients.forEach(JugglerClient::close);
    }
    return 0;
  }

  /**
   * One connection's calls. Closed loop: the next call goes out from the callback of the previous
   * one, so no thread waits per connection. Fixed rate: the ticker fires the calls.
   */
  private final class Driver {
    private final JugglerClient client;
    private final RawJson args;
    private final long end;
    private final CallStats stats;
    private final AtomicLong inFlight = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private long n;
    volatile ScheduledFuture<?> tick;
    // fixed rate: when the ticks are due, read on the ticker's thread only
    long firstTick;
    long interval;
    private long ticks;
    private volatile boolean ticked;

    Driver(JugglerClient client, int first, RawJson args, long end, CallStats stats) {
      this.client = client;
      this.n = first;
      this.args = args;
      this.end = end;
      this.stats = stats;
    }

    /** Closed loop: sends calls until one is in flight or the run is over. */
    void next() {
      while (true) {
        if (System.nanoTime() - end >= 0) {
          done.countDown();
          return;
        }
        CompletableFuture<RawJson> f = send();
        if (f == null) {
          continue;
        }
        if (f.isDone()) {
          // failed at once (not connected): record it here rather than recurse
          f.whenComplete((r, e) -> {});
          if (!client.isConnected()) {
            done.countDown();
            return;
          }
          continue;
        }
        f.whenComplete((r, e) -> next());
        return;
      }
    }

    /**
     * Fixed rate: one call per tick due before the end, then waits for those in flight. A tick that
     * runs late (a busy machine) still sends its call: the rate times the duration goes out.
     */
    void fire() {
      if (firstTick + ticks++ * interval - end >= 0) {
        ticked = true;
        ScheduledFuture<?> t = tick;
        if (t != null) {
          t.cancel(false);
        }
        if (inFlight.get() == 0) {
          done.countDown();
        }
        return;
      }
      inFlight.incrementAndGet();
      CompletableFuture<RawJson> f = send();
      if (f == null) {
        inFlight.decrementAndGet();
        return;
      }
      f.whenComplete(
          (r, e) -> {
            if (inFlight.decrementAndGet() == 0 && ticked) {
              done.countDown();
            }
          });
    }

    /** Sends one call and records its outcome when it ends; {@code null} when it threw. */
    private CompletableFuture<RawJson> send() {
      String uri = uris.get((int) (n++ % uris.size()));
      long sentAt = System.nanoTime();
      stats.sent.increment();
      try {
        return client.call(uri, args, timeout).whenComplete((r, e) -> stats.record(sentAt, r, e));
      } catch (RuntimeException e) {
        stats.record(sentAt, null, e);
        return null;
      }
    }

    void awaitDone(long deadline) throws InterruptedException {
      done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
