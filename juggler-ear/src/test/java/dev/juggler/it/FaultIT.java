package dev.juggler.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The protocol's promises while Redis is frozen (SIGSTOP, then SIGCONT) or crashes (SIGKILL, then a
 * restart) under mixed load: a few connections pipelining CALLs and PUBs, a few subscribers.
 * Checked: exactly one ACK or NACK per request, within the Redis timeout plus a slack; NACK codes
 * 503, 504 or 429 (calls per URI at capacity while the callees come back) only; no RES after a
 * NACK, nor later than its call's timeout after the ACK; no NACKed PUB delivered; every ACKed PUB
 * delivered to every subscriber of the node, in publish order per publisher; no connection dropped.
 *
 * <p>Settable: {@code juggler.it.fault-ms} (how long each fault lasts, 3000), {@code
 * juggler.it.fault-slack-ms} (what a loaded machine may add to a bound, 3000), {@code
 * juggler.it.res-slack-ms} (how much longer than the ACK's a RES's way to the client may be, 500).
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class FaultIT {
  /** The server's {@code juggler.redis.timeout}: its default, the bound under test. */
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration FAULT =
      Duration.ofMillis(Long.getLong("juggler.it.fault-ms", 3_000));
  private static final Duration SLACK =
      Duration.ofMillis(Long.getLong("juggler.it.fault-slack-ms", 3_000));

  /** How much later than its ACK plus the call's timeout a RES may reach the client. */
  private static final Duration RES_SLACK =
      Duration.ofMillis(Long.getLong("juggler.it.res-slack-ms", 500));

  /** Every request is answered within this of being sent. */
  private static final Duration ANSWER_BOUND = REDIS_TIMEOUT.plus(SLACK);

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration PACE = Duration.ofMillis(20);
  private static final int LOADERS = 3;
  private static final int SUBSCRIBERS = 3;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(ItDeployment.REDIS_TIMEOUT, Long.toString(REDIS_TIMEOUT.toMillis()));
  }

  @Test
  void redisFrozenUnderLoad(TestRedis redis) throws Exception {
    underLoad(
        () -> {
          redis.freeze();
          try {
            Thread.sleep(FAULT.toMillis()); // the fault's length is what is tested
          } finally {
            redis.thaw();
          }
        });
  }

  @Test
  void redisKilledAndRestartedUnderLoad(TestRedis redis) throws Exception {
    underLoad(
        () -> {
          redis.crash();
          try {
            Thread.sleep(FAULT.toMillis());
          } finally {
            redis.start();
          }
        });
  }

  private interface Fault {
    void run() throws Exception;
  }

  private static void underLoad(Fault fault) throws Exception {
    String channel = "fault." + UUID.randomUUID().toString().substring(0, 8);
    List<Subscriber> subscribers = new ArrayList<>();
    List<Loader> loaders = new ArrayList<>();
    try {
      for (int i = 0; i < SUBSCRIBERS; i++) {
        subscribers.add(new Subscriber(channel));
      }
      for (int i = 0; i < LOADERS; i++) {
        loaders.add(new Loader(i, channel));
      }
      loaders.forEach(Loader::start);
      Thread.sleep(1_000); // load before the fault
      fault.run();
      Thread.sleep(2_000); // and after it, through the recovery
      loaders.forEach(Loader::stopSending);
      for (Loader l : loaders) {
        l.awaitDone();
      }
      check(loaders, subscribers);
    } finally {
      loaders.forEach(Loader::close);
      subscribers.forEach(Subscriber::close);
    }
  }

  private static void check(List<Loader> loaders, List<Subscriber> subscribers)
      throws InterruptedException {
    List<String> problems = new ArrayList<>();
    Map<String, int[]> ackedPubs = new HashMap<>(); // PUB id -> {publisher, seq}
    Set<String> nackedPubs = ConcurrentHashMap.newKeySet();
    int nacks = 0;
    int requests = 0;
    for (Loader l : loaders) {
      for (Request r : l.requests.values()) {
        requests++;
        if (r.answers != 1) {
          problems.add(r + ": " + r.answers + " ACK/NACKs");
          continue;
        }
        long answerMs = TimeUnit.NANOSECONDS.toMillis(r.answeredAt - r.sentAt);
        if (answerMs > ANSWER_BOUND.toMillis()) {
          problems.add(r + " answered after " + answerMs + " ms");
        }
        if (r.nackCode != 0) {
          nacks++;
          // 429: calls queue up while the callees come back, up to juggler.call.capacity
          if (r.nackCode != 503 && r.nackCode != 504 && r.nackCode != 429) {
            problems.add(r + " NACK " + r.nackCode);
          }
          if (r.pub) {
            nackedPubs.add(r.id);
          } else if (r.resAt != 0) {
            problems.add(r + " got a RES after its NACK " + r.nackCode);
          }
        } else if (r.pub) {
          ackedPubs.put(r.id, new int[] {l.index, r.seq});
        } else if (r.resAt != 0) {
          long afterAck = TimeUnit.NANOSECONDS.toMillis(r.resAt - r.answeredAt);
          if (afterAck > CALL_TIMEOUT.plus(RES_SLACK).toMillis()) {
            problems.add(r + " got its RES " + afterAck + " ms after its ACK");
          }
        }
      }
    }
    assertTrue(nacks > 0, "the fault was felt: " + requests + " requests, no NACK");
    for (Subscriber s : subscribers) {
      s.awaitAll(ackedPubs.keySet());
      Map<Integer, Integer> lastSeq = new HashMap<>();
      for (String[] e : s.events) {
        if (nackedPubs.contains(e[0])) {
          problems.add("NACKed PUB " + e[0] + " delivered");
        }
        int[] from = ackedPubs.get(e[0]);
        if (from != null) {
          Integer last = lastSeq.put(from[0], from[1]);
          if (last != null && last >= from[1]) {
            problems.add(
                "events of publisher " + from[0] + " out of order: " + last + ", " + from[1]);
          }
        }
      }
      Set<String> got = ConcurrentHashMap.newKeySet();
      s.events.forEach(e -> got.add(e[0]));
      long lost = ackedPubs.keySet().stream().filter(id -> !got.contains(id)).count();
      if (lost > 0) {
        problems.add(lost + " of " + ackedPubs.size() + " ACKed PUBs never reached a subscriber");
      }
      if (s.client.isClosed()) {
        problems.add("a subscriber's connection closed");
      }
    }
    for (Loader l : loaders) {
      if (l.client.isClosed()) {
        problems.add("a loader's connection closed");
      }
    }
    assertEquals(List.of(), problems, requests + " requests, " + nacks + " NACKs");
  }

  /** One request and what came back for it; fields written by the reader thread. */
  private static final class Request {
    final String id;
    final boolean pub;
    final int seq;
    final long sentAt;
    volatile int answers;
    volatile long answeredAt;
    volatile int nackCode;
    volatile long resAt;

    Request(String id, boolean pub, int seq, long sentAt) {
      this.id = id;
      this.pub = pub;
      this.seq = seq;
      this.sentAt = sentAt;
    }

    @Override
    public String toString() {
      return (pub ? "PUB " : "CALL ") + id;
    }
  }

  /** A connection sending CALLs and PUBs every {@link #PACE}, without waiting for answers. */
  private static final class Loader {
    final int index;
    final String channel;
    final WsClient client = WsClient.connect();
    final Map<String, Request> requests = new ConcurrentHashMap<>();
    private final Thread sender;
    private final Thread reader;
    private volatile boolean sending = true;
    private volatile boolean reading = true;

    Loader(int index, String channel) {
      this.index = index;
      this.channel = channel;
      this.sender = new Thread(this::send, "fault-sender-" + index);
      this.reader = new Thread(this::read, "fault-reader-" + index);
    }

    void start() {
      reader.start();
      sender.start();
    }

    private void send() {
      for (int n = 0; sending; n++) {
        boolean pub = n % 2 == 1;
        long sentAt = System.nanoTime();
        String id = UUID.randomUUID().toString();
        requests.put(id, new Request(id, pub, n, sentAt));
        if (pub) {
          client.send(pubFrame(id, channel, "[" + index + "," + n + "]"));
        } else {
          client.send(callFrame(id, "test.echo", "\"" + n + "\""));
        }
        try {
          Thread.sleep(PACE.toMillis()); // the load's pace
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void read() {
      while (reading) {
        JsonObject f = client.next(Duration.ofMillis(200));
        if (f == null) {
          continue;
        }
        long now = System.nanoTime();
        JsonObject p = Frames.payload(f);
        Request r = requests.get(p.getString("for"));
        if (r == null) {
          continue;
        }
        int type = Frames.type(f);
        if (type == Frames.ACK || type == Frames.NACK) {
          r.answeredAt = now;
          r.nackCode = type == Frames.NACK ? p.getInt("code") : 0;
          r.answers++;
        } else if (type == Frames.RES) {
          r.resAt = now;
        }
      }
    }

    void stopSending() {
      sending = false;
    }

    /**
     * Waits until every request is answered and every ACKed call got its RES or is past its
     * timeout, within the bounds the checks then apply.
     */
    void awaitDone() throws InterruptedException {
      sender.join();
      long end = System.nanoTime() + ANSWER_BOUND.plus(CALL_TIMEOUT).plus(SLACK).toNanos();
      while (System.nanoTime() < end && !done()) {
        Thread.sleep(50); // polling what the reader thread recorded
      }
    }

    private boolean done() {
      long now = System.nanoTime();
      for (Request r : requests.values()) {
        if (r.answers == 0) {
          return false;
        }
        boolean awaitingRes = !r.pub && r.nackCode == 0 && r.resAt == 0;
        if (awaitingRes && now - r.answeredAt < CALL_TIMEOUT.plus(SLACK).toNanos()) {
          return false;
        }
      }
      return true;
    }

    void close() {
      sending = false;
      reading = false;
      client.close();
    }
  }

  /** A connection subscribed to the load's channel, recording each event's PUB id in order. */
  private static final class Subscriber {
    final WsClient client = WsClient.connect();
    final List<String[]> events = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean reading = true;

    Subscriber(String channel) {
      Frames.subscribed(client, channel, false);
      reader = new Thread(this::read, "fault-subscriber");
      reader.start();
    }

    private void read() {
      while (reading) {
        JsonObject f = client.next(Duration.ofMillis(200));
        if (f != null && Frames.type(f) == Frames.EVNT) {
          JsonObject p = Frames.payload(f);
          events.add(new String[] {p.getString("for")});
        }
      }
    }

    /** Waits, bounded, until the events of all {@code ids} came. */
    void awaitAll(Set<String> ids) throws InterruptedException {
      long end = System.nanoTime() + ANSWER_BOUND.toNanos();
      while (System.nanoTime() < end) {
        Set<String> got = ConcurrentHashMap.newKeySet();
        events.forEach(e -> got.add(e[0]));
        if (got.containsAll(ids)) {
          return;
        }
        Thread.sleep(50); // polling what the reader thread recorded
      }
    }

    void close() {
      reading = false;
      client.close();
    }
  }

  private static String callFrame(String id, String uri, String args) {
    return "{\"meta\":{\"type\":1,\"uuid\":\"%s\"},\"payload\":{\"uri\":%s,\"timeout\":%d,\"args\":%s}}"
        .formatted(id, WsClient.quote(uri), CALL_TIMEOUT.toNanos(), args);
  }

  private static String pubFrame(String id, String channel, String args) {
    return "{\"meta\":{\"type\":2,\"uuid\":\"%s\"},\"payload\":{\"channel\":%s,\"args\":%s}}"
        .formatted(id, WsClient.quote(channel), args);
  }
}
