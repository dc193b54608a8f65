package dev.juggler.tools.load;

import dev.juggler.client.ClientOptions;
import dev.juggler.client.ConnectionState;
import dev.juggler.client.JugglerClient;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.tools.cli.DurationConverter;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code juggler load pubsub}: publishers publish numbered events on one channel, each with up to
 * {@code --in-flight} PUBs not yet ACKed; subscribers measure publish-to-delivery latency and count
 * lost and reordered events. Publishers and subscribers live in this JVM, so the {@code
 * System.nanoTime()} in each event is comparable on delivery.
 */
@Command(
    name = "pubsub",
    mixinStandardHelpOptions = true,
    description = "Publishes on a channel and measures delivery to its subscribers.")
public final class PubSubCommand implements Callable<Integer> {

  @Option(
      names = "--url",
      defaultValue = "ws://127.0.0.1:9080/ws",
      description = "Default: ${DEFAULT-VALUE}")
  URI url;

  @Option(names = "--publishers", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}")
  int publishers;

  @Option(names = "--subscribers", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}")
  int subscribers;

  @Option(names = "--channel", defaultValue = "bench", description = "Default: ${DEFAULT-VALUE}")
  String channel;

  @Option(
      names = "--in-flight",
      defaultValue = "8",
      description = "PUBs per publisher not yet ACKed. Default: ${DEFAULT-VALUE}")
  int inFlight;

  @Option(names = "--duration", defaultValue = "10s", description = "Default: ${DEFAULT-VALUE}")
  Duration duration;

  @Option(
      names = "--wait",
      defaultValue = "10s",
      description =
          "How long to wait for a connection, an ACK, and after the run for the events still on"
              + " their way. Default: ${DEFAULT-VALUE}")
  Duration wait;

  int publishers() {
    return publishers;
  }

  int subscribers() {
    return subscribers;
  }

  String channel() {
    return channel;
  }

  int inFlight() {
    return inFlight;
  }

  Duration duration() {
    return duration;
  }

  Duration waitFor() {
    return wait;
  }

  PrintStream out = System.out;

  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

  @Override
  public Integer call() throws Exception {
    if (publishers < 1 || subscribers < 1 || inFlight < 1) {
      throw new IllegalArgumentException("need --publishers, --subscribers, --in-flight >= 1");
    }
    out.printf(
        "url %s, publishers %d, subscribers %d, channel %s, in-flight %d, duration %s%n",
        url, publishers, subscribers, channel, inFlight, DurationConverter.format(duration));
    List<JugglerClient> clients = new ArrayList<>();
    List<Subscriber> subs = new ArrayList<>();
    ClientOptions options = LoadClients.options(wait);
    try {
      for (int i = 0; i < subscribers; i++) {
        Subscriber s = new Subscriber();
        subs.add(s);
        JugglerClient c = JugglerClient.connect(url, options.connectionListener(s::onState));
        clients.add(c);
        c.subscribe(channel, s::onEvent).join();
      }
      List<Publisher> pubs = new ArrayList<>();
      for (int i = 0; i < publishers; i++) {
        JugglerClient c = JugglerClient.connect(url, options);
        clients.add(c);
        pubs.add(new Publisher(c, i));
      }
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      LongAdder nacks = new LongAdder();
      for (Publisher p : pubs) {
        p.start(end, nacks);
      }
      for (Publisher p : pubs) {
        p.awaitDone();
      }
      long elapsed = System.nanoTime() - start;
      Map<Integer, Long> sentByPublisher = new HashMap<>();
      long published = 0;
      for (Publisher p : pubs) {
        sentByPublisher.put(p.id, p.sent());
        published += p.sent();
      }
      // the last events may still be on their way
      long deadline = System.nanoTime() + wait.toNanos();
      while (!subs.stream().allMatch(s -> s.hasAll(sentByPublisher))
          && System.nanoTime() - deadline < 0) {
        Thread.sleep(10);
      }
      out.println(report(subs, sentByPublisher, published, nacks.sum(), elapsed));
    } finally {
      clients.forEach(JugglerClient::close);
    }
    return 0;
  }

  /**
   * Publishes numbered events, keeping {@code --in-flight} PUBs unanswered: each answer sends the
   * next one, from the client's thread.
   */
  private final class Publisher {
    private final JugglerClient client;
    private final int id;
    private final CountDownLatch done = new CountDownLatch(1);
    private long next;
    private int outstanding;
    private volatile long end;
    private LongAdder nacks;

    Publisher(JugglerClient client, int id) {
      this.client = client;
      this.id = id;
    }

    void start(long end, LongAdder nacks) {
      this.end = end;
      this.nacks = nacks;
      for (int i = 0; i < inFlight; i++) {
        publishOne();
      }
    }

    private void publishOne() {
      CompletableFuture<Void> f;
      synchronized (this) {
        if (System.nanoTime() - end >= 0) {
          if (outstanding == 0) {
            done.countDown();
          }
          return;
        }
        // numbered and handed to the client under one lock, so that the frames leave in number
        // order whichever thread sends them
        long n = next++;
        outstanding++;
        String args = "{\"p\":" + id + ",\"n\":" + n + ",\"t\":" + System.nanoTime() + "}";
        f = client.publish(channel, new RawJson(args));
      }
      f.whenComplete(
          (v, e) -> {
            if (e != null) {
              nacks.increment();
            }
            synchronized (this) {
              outstanding--;
              if (e != null && !client.isConnected()) {
                // the connection is gone: this publisher stops
                end = System.nanoTime();
                if (outstanding == 0) {
                  done.countDown();
                }
                return;
              }
            }
            publishOne();
          });
    }

    synchronized long sent() {
      return next;
    }

    void awaitDone() throws InterruptedException {
      // each PUB ends by its ACK timeout at the latest
      done.await(duration.plus(wait).toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  static String report(
      List<Subscriber> subs, Map<Integer, Long> sent, long published, long nacks, long elapsed) {
    Histogram all = LatencyReport.histogram(HIGHEST_MICROS);
    long delivered = 0;
    long lost = 0;
    long reordered = 0;
    long duplicated = 0;
    int dropped = 0;
    Map<String, Integer> causes = new TreeMap<>();
    for (Subscriber s : subs) {
      synchronized (s) {
        if (s.lost) {
          dropped++;
          causes.merge(String.valueOf(s.cause), 1, Integer::sum);
        }
        all.add(s.latencies);
        delivered += s.sequences.delivered();
        lost += s.sequences.lost(sent);
        reordered += s.sequences.reordered();
        duplicated += s.sequences.duplicated();
      }
    }
    return String.join(
            System.lineSeparator(),
            String.format(
                Locale.ROOT,
                "published %d (failed %d) in %.3fs, delivered %d events (%s), lost %d, reordered %d,"
                    + " duplicated %d, subscribers disconnected %d",
                published,
                nacks,
                elapsed / 1e9,
                delivered,
                LatencyReport.rate(delivered, elapsed),
                lost,
                reordered,
                duplicated,
                dropped),
            LatencyReport.format("publish to delivery", all))
        + causes.entrySet().stream()
            .map(c -> System.lineSeparator() + "disconnected " + c.getValue() + ": " + c.getKey())
            .collect(Collectors.joining());
  }

  /** One subscriber's view; events arrive on its client's delivery thread. */
  static final class Subscriber {
    final SequenceTracker sequences = new SequenceTracker();
    final Histogram latencies = LatencyReport.histogram(HIGHEST_MICROS);
    boolean lost;
    Throwable cause;

    // a server drops a subscriber that does not keep up; its missing events then count as lost,
    // and the report says why it was dropped (the close code and reason)
    synchronized void onState(ConnectionState state, Throwable cause) {
      if (state == ConnectionState.DISCONNECTED && !lost) {
        lost = true;
        this.cause = cause;
      }
    }

    /** Whether it has every event published, or was dropped and will get no more. */
    synchronized boolean hasAll(Map<Integer, Long> sent) {
      return lost || sequences.lost(sent) == 0;
    }

    synchronized void onEvent(Evnt e) {
      long now = System.nanoTime();
      Sample s = Sample.parse(e.args().text());
      sequences.record(s.p(), s.n());
      latencies.recordValue(LatencyReport.clamp((now - s.t()) / 1000, HIGHEST_MICROS));
    }
  }
}
