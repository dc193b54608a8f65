package dev.juggler.it;

import static dev.juggler.it.support.Frames.nack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.it.support.Frames;
import dev.juggler.it.support.ItDeployment;
import dev.juggler.it.support.WsClient;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis stopped under load and started again on the same port: every request is answered (NACK 503
 * while Redis is down, or 504 for one sent just before, within the Redis timeout), connections stay
 * open, and the server and its callees recover by themselves, subscriptions included.
 */
@ExtendWith({RedisExtension.class, ArquillianExtension.class})
@RunAsClient
class OutageIT {
  /** The server's Redis timeout: its default, which the answers' bound below is made of. */
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

  /** The Redis timeout plus a margin: a request answered later counts as hung. */
  private static final Duration ANSWER_WAIT = Duration.ofSeconds(6);

  private static final Duration RECOVERY_WAIT = Duration.ofSeconds(30);

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return ItDeployment.ear(ItDeployment.REDIS_TIMEOUT, Long.toString(REDIS_TIMEOUT.toMillis()));
  }

  @Test
  void redisStoppedUnderLoadNacksAndRecoversWithoutARestart(TestRedis redis) throws Exception {
    String channel = "outage." + UUID.randomUUID().toString().substring(0, 8);
    String pattern = channel.substring(0, 9) + "*";
    try (WsClient sub = WsClient.connect();
        WsClient probe = WsClient.connect();
        Load load = new Load(4)) {
      Frames.subscribed(sub, channel, false);
      Frames.subscribed(sub, pattern, true);
      load.awaitAnswers(20, ANSWER_WAIT);

      redis.stop();
      long stopped = System.nanoTime();
      long restarting;
      try {
        assertUnavailable(probe, probe.call("test.echo", "\"down\"", Duration.ofSeconds(5)), 1);
        assertUnavailable(probe, probe.pub(channel, "\"down\""), 2);
        assertUnavailable(probe, probe.sub(channel + ".new", false), 3);
        load.awaitAnswersAfter(stopped, 20, Duration.ofSeconds(20));
      } finally {
        restarting = System.nanoTime();
        redis.start();
      }
      load.stop();

      assertEquals(List.of(), load.failures(), "every request answered in time");
      // Requests still unanswered when Redis was started again may rightly succeed.
      List<Load.Answer> duringOutage = load.answeredDuring(stopped, restarting);
      assertFalse(duringOutage.isEmpty());
      for (Load.Answer a : duringOutage) {
        assertEquals(Frames.NACK, a.type(), () -> "answer while Redis was down: " + a);
        assertTrue(a.code() == 503 || a.code() == 504, () -> "answer while Redis was down: " + a);
      }

      // Calls, callees and results recover: a call is stored and its result delivered.
      callUntilServed(probe);
      // The subscriptions made before the outage are back, for the channel and the pattern.
      publishUntilDelivered(probe, sub, channel, Set.of(channel, pattern));
      // New subscriptions work too.
      Frames.subscribed(sub, channel + ".new", false);
      publishUntilDelivered(probe, sub, channel + ".new", Set.of(channel + ".new"));

      assertFalse(sub.isClosed(), "subscriber connection open");
      assertFalse(probe.isClosed(), "caller connection open");
      load.assertAllOpen();
    }
  }

  private static void assertUnavailable(WsClient c, String id, int type) {
    long start = System.nanoTime();
    JsonObject frame = c.next(ANSWER_WAIT);
    assertTrue(frame != null, "no answer within " + ANSWER_WAIT);
    if (type == 3) {
      nack(frame, id, type, 503);
    } else {
      Frames.nackUnavailable(frame, id, type); // 504 when sent on a connection the stop closed
    }
    assertTrue(System.nanoTime() - start < ANSWER_WAIT.toNanos());
  }

  /**
   * CALLs test.echo until one is ACKed (Redis takes a moment to come back), then awaits its RES.
   */
  private static void callUntilServed(WsClient c) {
    long deadline = System.nanoTime() + RECOVERY_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String id = c.call("test.echo", "\"back\"", Duration.ofSeconds(20));
      JsonObject answer = c.next(ANSWER_WAIT);
      assertTrue(answer != null, "CALL not answered");
      if (Frames.type(answer) == Frames.ACK) {
        JsonObject res = c.next(Duration.ofSeconds(25));
        assertTrue(res != null, "no RES after the outage for an ACKed call");
        assertEquals("back", Frames.res(res, id, "test.echo").getString("args"));
        return;
      }
      Frames.nackUnavailable(answer, id, 1);
      c.next(Duration.ofMillis(200)); // nothing else is expected: a bounded pause between attempts
    }
    throw new AssertionError("no CALL was ACKed within " + RECOVERY_WAIT);
  }

  /** PUBlishes until {@code sub} receives the event through every one of {@code through}. */
  private static void publishUntilDelivered(
      WsClient pub, WsClient sub, String channel, Set<String> through) {
    long deadline = System.nanoTime() + RECOVERY_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String id = pub.pub(channel, "\"again\"");
      JsonObject answer = pub.next(ANSWER_WAIT);
      assertTrue(answer != null, "PUB not answered");
      if (Frames.type(answer) != Frames.ACK) {
        Frames.nackUnavailable(answer, id, 2);
        continue;
      }
      Set<String> got = new HashSet<>();
      JsonObject f;
      while (got.size() < through.size() && (f = sub.next(Duration.ofMillis(500))) != null) {
        JsonObject p = Frames.expect(f, Frames.EVNT);
        if (p.getString("for").equals(id)) {
          got.add(p.containsKey("pattern") ? p.getString("pattern") : p.getString("channel"));
        }
      }
      if (got.equals(through)) {
        return;
      }
    }
    throw new AssertionError("events on " + channel + " did not come back within " + RECOVERY_WAIT);
  }

  /**
   * Clients that each send CALLs and PUBs one after another, as fast as they are answered, and
   * record every answer; a request unanswered after {@link #ANSWER_WAIT} is a failure.
   */
  private static final class Load implements AutoCloseable {
    record Answer(long sentAt, long answeredAt, int type, int code, String request) {}

    private final List<WsClient> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Answer> answers = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private volatile boolean stop;

    Load(int clientCount) {
      for (int i = 0; i < clientCount; i++) {
        WsClient c = WsClient.connect();
        clients.add(c);
        Thread t = new Thread(() -> run(c), "load-" + i);
        threads.add(t);
        t.start();
      }
    }

    private void run(WsClient c) {
      for (int n = 0; !stop; n++) {
        boolean call = n % 2 == 0;
        long sentAt = System.nanoTime();
        String id =
            call
                ? c.call("test.echo", "\"load\"", Duration.ofSeconds(1))
                : c.pub("outage.load", "\"load\"");
        JsonObject answer = answerFor(c, id);
        synchronized (this) {
          if (answer == null) {
            failures.add((call ? "CALL " : "PUB ") + id + " not answered within " + ANSWER_WAIT);
            return;
          }
          JsonObject p = Frames.payload(answer);
          answers.add(
              new Answer(
                  sentAt,
                  System.nanoTime(),
                  Frames.type(answer),
                  p.getInt("code", 0),
                  call ? "CALL" : "PUB"));
          notifyAll();
        }
      }
    }

    /** The ACK or NACK of {@code id}; RES frames of earlier calls are skipped. */
    private static JsonObject answerFor(WsClient c, String id) {
      long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        JsonObject f = left > 0 ? c.next(Duration.ofNanos(left)) : null;
        if (f == null) {
          return null;
        }
        int type = Frames.type(f);
        if ((type == Frames.ACK || type == Frames.NACK)
            && Frames.payload(f).getString("for").equals(id)) {
          return f;
        }
      }
    }

    synchronized void awaitAnswers(int n, Duration wait) throws InterruptedException {
      awaitAnswersAfter(Long.MIN_VALUE, n, wait);
    }

    synchronized void awaitAnswersAfter(long sentAfter, int n, Duration wait)
        throws InterruptedException {
      long deadline = System.nanoTime() + wait.toNanos();
      while (answersSentBetween(sentAfter, Long.MAX_VALUE).size() < n && failures.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "load: fewer than " + n + " answers within " + wait + "; " + failures);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    synchronized List<Answer> answersSentBetween(long from, long to) {
      List<Answer> list = new ArrayList<>();
      for (Answer a : answers) {
        if (a.sentAt() > from && a.sentAt() < to) {
          list.add(a);
        }
      }
      return list;
    }

    /** The answers of requests sent after {@code from} and answered before {@code to}. */
    synchronized List<Answer> answeredDuring(long from, long to) {
      List<Answer> list = new ArrayList<>();
      for (Answer a : answers) {
        if (a.sentAt() > from && a.answeredAt() < to) {
          list.add(a);
        }
      }
      return list;
    }

    synchronized List<String> failures() {
      return List.copyOf(failures);
    }

    void assertAllOpen() {
      for (WsClient c : clients) {
        assertFalse(c.isClosed(), "load connection open");
      }
    }

    /** Stops sending; returns once every client has had its last answer (or gave up). */
    void stop() throws InterruptedException {
      stop = true;
      for (Thread t : threads) {
        t.join(ANSWER_WAIT.toMillis() * 2);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop();
      clients.forEach(WsClient::close);
    }
  }
}
