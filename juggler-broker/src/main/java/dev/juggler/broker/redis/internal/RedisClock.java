package dev.juggler.broker.redis.internal;

import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;

/**
 * What this process knows of the clocks of the Redis servers it talks to, so that a script can be
 * told an absolute time on its own server's clock after which it must not act ("act-by").
 *
 * <p>A sample is a Redis {@code TIME} read together with this process's {@link System#nanoTime()}
 * when the reply was in: since Redis read its clock before that, {@code redisMs - localMs} is a
 * lower bound of the offset between the two clocks, and the act-by {@code redisMs + (deadline -
 * local)} is reached on the server no later than the local deadline (clocks running at the same
 * rate; no wall clocks are compared between machines, and Redis's is only compared with itself).
 * Samples are kept per connection, so each is from the very server the connection goes to (each
 * master of a cluster has its own clock; a failover means new connections, hence new samples);
 * every script that takes an act-by returns its {@code TIME}, which renews the sample, and a sample
 * older than {@link #MAX_AGE_NANOS} is read again, so that a clock stepped on the server is
 * followed (a script that a step forward made refuse to act is sent once more, see {@link
 * Connections#runTimed}). Thread-safe.
 */
final class RedisClock {

  /** Oldest sample used; an older one costs a {@code TIME} round trip before the command. */
  static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private record Sample(long redisMs, long localNanos) {}

  private final Map<Connection, Sample> samples = new WeakHashMap<>();

  /**
   * The act-by for a command about to be sent on {@code jedis}: the time on its server's clock that
   * is reached no later than {@code localDeadlineNanos} here. May read {@code TIME} first.
   */
  long actBy(Jedis jedis, long localDeadlineNanos) {
    Connection connection = jedis.getConnection();
    Sample sample;
    synchronized (samples) {
      sample = samples.get(connection);
    }
    if (sample == null || System.nanoTime() - sample.localNanos > MAX_AGE_NANOS) {
      List<String> time = jedis.time();
      sample = observed(jedis, Long.parseLong(time.get(0)), Long.parseLong(time.get(1)));
    }
    return sample.redisMs + Math.floorDiv(localDeadlineNanos - sample.localNanos, 1_000_000L);
  }

  /** A reply on {@code jedis} carried its server's {@code TIME}: renews the connection's sample. */
  Sample observed(Jedis jedis, long seconds, long micros) {
    Sample sample = new Sample(seconds * 1000 + micros / 1000, System.nanoTime());
    synchronized (samples) {
      samples.put(jedis.getConnection(), sample);
    }
    return sample;
  }

  /** {@link #observed} from a script reply {@code {status, seconds, micros}}; returns status. */
  long observedReply(Jedis jedis, Object reply) {
    List<?> list = (List<?>) reply;
    observed(jedis, (Long) list.get(1), (Long) list.get(2));
    return (Long) list.get(0);
  }
}
