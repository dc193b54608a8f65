package dev.juggler.broker.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.Recorder;
import dev.juggler.broker.redis.RedisTarget;
import dev.juggler.protocol.message.NackCode;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * When a script given an act-by answers that it ran too late: sent once more when that verdict
 * rests on a clock sample that no longer held, refused (503) when the act-by had come here too.
 * Either way the late run did nothing, and what is sent once more acts once. The script is the call
 * queue's ({@code call.lua}), on one pooled connection so that each command meets the sample the
 * one before it left.
 */
@ExtendWith(RedisExtension.class)
class ActByIT {
  private static final String KEY = "act-by.calls";
  private static final ThreadFactory DAEMONS =
      r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
      };

  private final TestRedis redis;
  private Jedis admin;

  ActByIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void setUp() {
    admin = new Jedis(redis.host(), redis.port());
    admin.flushAll();
  }

  @AfterEach
  void tearDown() {
    admin.close();
  }

  private static Connections connections(TestRedis redis, Duration timeout) {
    return Connections.create(new RedisTarget.Standalone(redis.uri()), 1, timeout, DAEMONS);
  }

  /** Queues {@code payload} with {@code actBy}; the script's answer, its status recorded. */
  private static Object queue(Jedis jedis, long actBy, String payload, List<Long> statuses) {
    Object reply =
        LuaScript.CALL.eval(jedis, List.of(KEY), List.of("0", "60000", payload, "" + actBy));
    statuses.add((Long) ((List<?>) reply).get(0));
    return reply;
  }

  private List<String> queued() {
    return admin.lrange(KEY, 0, -1).stream().map(e -> e.substring(e.indexOf(':') + 1)).toList();
  }

  @Test
  void aLateVerdictFromASampleTheServersClockLeftBehindIsSentOnceMoreAndActsOnce()
      throws Exception {
    List<Long> statuses = new ArrayList<>();
    try (Connections connections = connections(redis, Recorder.TIMEOUT)) {
      // The first answer's TIME is put back by a minute: to this process that is a server whose
      // clock jumps a minute ahead right after it answered (a clock stepped by its time service).
      connections.runTimed(
          KEY,
          (jedis, actBy) -> {
            List<?> reply = (List<?>) queue(jedis, actBy, "first", statuses);
            return List.of(reply.get(0), (Long) reply.get(1) - 60, reply.get(2));
          });
      long status =
          connections.runTimed(KEY, (jedis, actBy) -> queue(jedis, actBy, "second", statuses));

      assertEquals(1, status);
      assertEquals(
          List.of(1L, -1L, 1L),
          statuses,
          "the second call was judged late by its act-by from the old sample, then queued with the"
              + " act-by from the late answer's TIME");
      assertEquals(List.of("first", "second"), queued(), "the late run queued nothing");
    }
  }

  @Test
  void aLateVerdictAfterTheActByCameHereTooIsRefusedWithoutAnotherTry() throws Exception {
    List<Long> statuses = new ArrayList<>();
    // The act-by comes here 1.5 s after the start; the script is sent 1.75 s after it, before the
    // answer's time is up (a socket timeout counts from the read, not from the start)
    Duration timeout = Duration.ofSeconds(2);
    try (Connections connections = connections(redis, timeout)) {
      warm(connections); // the try below then meets a pooled connection and a sample
      List<String> before = queued();
      BrokerException e;
      long end = System.nanoTime() + Recorder.TIMEOUT.toNanos();
      do { // once more if a stall of this process took the 2 s before the script was sent
        e =
            assertThrows(
                BrokerException.class,
                () ->
                    connections.runTimed(
                        KEY,
                        (jedis, actBy) -> {
                          sleep(timeout.multipliedBy(7).dividedBy(8)); // 1.75 s
                          return queue(jedis, actBy, "late", statuses);
                        }));
      } while (statuses.isEmpty() && System.nanoTime() < end);

      assertEquals(NackCode.UNAVAILABLE, e.code());
      assertTrue(e.getMessage().contains("broker unavailable"), e.getMessage());
      assertEquals(List.of(-1L), statuses, "one try: the act-by had come here too");
      assertEquals(before, queued(), "the late run queued nothing");
    }
  }

  /**
   * Queues "warm" on the pool's one connection, trying again while a loaded machine lets the short
   * timeout run out first.
   */
  private static void warm(Connections connections) throws Exception {
    long end = System.nanoTime() + Recorder.TIMEOUT.toNanos();
    while (true) {
      try {
        connections.runTimed(KEY, (jedis, actBy) -> queue(jedis, actBy, "warm", new ArrayList<>()));
        return;
      } catch (BrokerException e) {
        if (System.nanoTime() > end) {
          throw e;
        }
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      TimeUnit.NANOSECONDS.sleep(d.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
