package dev.juggler.broker.redis.internal;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.redis.RedisTarget;
import dev.juggler.broker.support.NamedThreads;
import dev.juggler.protocol.message.NackCode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * The broker's Redis connections: pooled ones for commands, and dedicated ones for the background
 * loops, to one server or to the nodes of a cluster. Nothing connects before first use, so a broker
 * can be built while Redis is down. Thread-safe.
 *
 * <p>Every command names a key, and runs on a connection to the server that holds it. A command
 * that failed on a broken connection is never sent again: it may have run (calls and results are
 * delivered at most once).
 */
public abstract class Connections implements AutoCloseable {

  /** A unit of work on one connection, to the server holding the key it was given for. */
  @FunctionalInterface
  public interface Command<T> {
    T run(Jedis jedis);
  }

  /**
   * A script that changes the store and must not take effect once its sender has given up: it
   * refuses to act from {@code actBy}, milliseconds on the clock of the server {@code jedis} goes
   * to, and answers {@code {status, seconds, micros}}: its status, below 0 when it ran at or after
   * the act-by and did nothing, and that server's {@code TIME}.
   */
  @FunctionalInterface
  public interface TimedScript {
    Object run(Jedis jedis, long actBy);
  }

  /** One try of a command on a borrowed connection; sets {@code sent[0]} before sending it. */
  @FunctionalInterface
  private interface Attempt<T> {
    T run(Jedis jedis, long deadlineNanos, boolean[] sent);
  }

  /** The command was not sent: its time ran out before (waiting for a pooled connection). */
  private static final class NotSent extends RuntimeException {
    NotSent(String message) {
      super(message, null, false, false);
    }
  }

  private final int timeoutMs;
  private final long timeoutNanos;
  private final Breakers breakers = new Breakers();
  private final RedisClock clock = new RedisClock();
  private final ThreadFactory threads;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Runnable> answering = new CopyOnWriteArrayList<>();

  Connections(Duration timeout, ThreadFactory threads) {
    this.threads = threads;
    this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  /**
   * Connections to {@code target}, with at most {@code poolSize} pooled ones per server; {@code
   * threads} makes the short-lived threads that probe a server that did not answer.
   */
  public static Connections create(
      RedisTarget target, int poolSize, Duration timeout, ThreadFactory threads) {
    if (target instanceof RedisTarget.Cluster cluster) {
      return new ClusterConnections(cluster, poolSize, timeout, threads);
    }
    return new StandaloneConnections(
        ((RedisTarget.Standalone) target).url(), poolSize, timeout, threads);
  }

  /** The command timeout in milliseconds. */
  public final int timeoutMs() {
    return timeoutMs;
  }

  /**
   * Runs {@code command} on a pooled connection to the server holding {@code key}, within the
   * command timeout in all (waiting for a connection included), or fails fast while that server did
   * not answer lately (see {@link Breakers}).
   *
   * @throws BrokerException 503 when Redis cannot be reached or the command was not sent, 504 when
   *     it was sent and no answer came in time, 500 when Redis rejects the command
   */
  public final <T> T run(String key, Command<T> command) throws BrokerException {
    return run(
        key,
        (jedis, deadline, sent) -> {
          sent[0] = true;
          return command.run(jedis);
        });
  }

  /**
   * Like {@link #run}, for a script that must not take effect once this process has given up on it:
   * it is given the act-by on its server's clock, reached no later than the time this process stops
   * waiting for the answer, less a quarter of the timeout for the answer's way back. Returns the
   * script's status.
   *
   * <p>A script that answers it ran at or after its act-by did nothing. When the act-by had not
   * come here yet as the answer came in, that verdict rests on a clock sample that no longer held
   * (the server's clock was stepped forward since, or this process stalled while it took the
   * sample), and the script is sent once more, with the act-by from the answer's {@code TIME};
   * else, or when the second answer says the same, it fails with 503.
   *
   * @throws BrokerException as {@link #run} does, and 503 when the script ran too late
   */
  public final long runTimed(String key, TimedScript script) throws BrokerException {
    long status = run(key, (jedis, deadline, sent) -> runScript(jedis, script, deadline, sent));
    if (status < 0) {
      throw BrokerException.unavailable(
          new IllegalStateException("Redis ran the command after its sender's deadline"));
    }
    return status;
  }

  private long runScript(Jedis jedis, TimedScript script, long deadline, boolean[] sent) {
    long actByNanos = deadline - timeoutNanos / 4;
    long actBy = clock.actBy(jedis, actByNanos);
    sent[0] = true;
    long status = clock.observedReply(jedis, script.run(jedis, actBy));
    long now = System.nanoTime();
    if (status < 0 && now < actByNanos) {
      jedis.getConnection().setSoTimeout(socketTimeoutMs(deadline - now));
      status = clock.observedReply(jedis, script.run(jedis, clock.actBy(jedis, actByNanos)));
    }
    return status;
  }

  private <T> T run(String key, Attempt<T> command) throws BrokerException {
    long deadline = System.nanoTime() + timeoutNanos;
    boolean[] sent = new boolean[1];
    Object server = null;
    try {
      server = server(key);
      if (breakers.isOpen(server)) {
        probeIfDue(server, key);
        throw BrokerException.unavailable(
            new IllegalStateException("Redis at " + server + " did not answer lately"));
      }
      T result = execute(key, jedis -> attempt(jedis, command, deadline, sent));
      answered(server);
      return result;
    } catch (NotSent e) {
      throw BrokerException.unavailable(e);
    } catch (JedisDataException e) {
      throw rejected(e);
    } catch (JedisConnectionException e) {
      connectionLost(e);
      if (server != null) {
        breakers.failed(server, e);
        probeIfDue(server, key);
      }
      throw sent[0] ? BrokerException.outcomeUnknown(e) : BrokerException.unavailable(e);
    } catch (JedisException e) {
      throw BrokerException.unavailable(e); // no pooled connection in time, say
    }
  }

  /** Starts a probe of {@code server} on a thread of its own when one is due. */
  private void probeIfDue(Object server, String key) {
    if (!breakers.probeDue(server)) {
      return;
    }
    try {
      NamedThreads.newThread(threads, "juggler-redis-probe-" + server, () -> probe(server, key))
          .start();
    } catch (RuntimeException e) {
      breakers.probeEnded(server); // no thread (the container is stopping): the next one tries
    }
  }

  /** Probes {@code server} until it answers, its breaker closes, or this is closed. */
  private void probe(Object server, String key) {
    try {
      while (breakers.isOpen(server) && closed.getCount() > 0) {
        try {
          execute(key, jedis -> jedis.ping());
          answered(server);
          return;
        } catch (JedisConnectionException e) {
          connectionLost(e);
        } catch (RuntimeException e) {
          // answered, but not ready (LOADING, say), or no pooled connection in time
        }
        closed.await(Breakers.PROBE_INTERVAL_NANOS, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      breakers.probeEnded(server);
    }
  }

  /**
   * Runs {@code listener} each time a server that did not answer answers again (a breaker closes),
   * on the thread that saw it; it must be quick.
   */
  public final void onAnswering(Runnable listener) {
    answering.add(listener);
  }

  /** Forgets a listener given to {@link #onAnswering}. */
  final void offAnswering(Runnable listener) {
    answering.remove(listener);
  }

  private void answered(Object server) {
    if (breakers.answered(server)) {
      answering.forEach(Runnable::run);
    }
  }

  /** Ends the probes; called by {@link #close()}. */
  final void stopProbes() {
    closed.countDown();
  }

  /**
   * One command on a borrowed connection, with the socket timeout cut to what is left of the
   * command's time. {@code sent[0]} tells whether the command itself went out (a clock read before
   * it does not count: the request had no effect if it fails).
   */
  private <T> T attempt(Jedis jedis, Attempt<T> command, long deadline, boolean[] sent) {
    Connection connection = jedis.getConnection();
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new NotSent("no time left to send the command");
    }
    connection.setSoTimeout(socketTimeoutMs(left));
    try {
      return command.run(jedis, deadline, sent);
    } finally {
      if (!connection.isBroken()) {
        connection.setSoTimeout(timeoutMs);
      }
    }
  }

  /**
   * The socket timeout for {@code leftNanos} (&gt; 0, at most the command timeout): at least 1 ms,
   * as 0 would mean no timeout.
   */
  private static int socketTimeoutMs(long leftNanos) {
    return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos));
  }

  /**
   * What a command that Redis answered with an error fails with: 503 when the error passes with
   * time (busy, loading, a cluster moving slots), else 500.
   */
  static BrokerException rejected(JedisDataException e) {
    if (e instanceof JedisBusyException
        || e instanceof JedisRedirectionException
        || isTransient(e)) {
      return BrokerException.unavailable(e);
    }
    return new BrokerException(NackCode.INTERNAL, "Redis error: " + e.getMessage(), e);
  }

  /** Errors of a server that is starting, or of a cluster that is changing or partly down. */
  private static boolean isTransient(JedisDataException e) {
    String message = String.valueOf(e.getMessage());
    return message.startsWith("LOADING")
        || message.startsWith("CLUSTERDOWN")
        || message.startsWith("TRYAGAIN")
        || message.startsWith("MASTERDOWN");
  }

  /** Runs {@code command} on the server holding {@code key}; Jedis exceptions pass through. */
  abstract <T> T execute(String key, Command<T> command);

  /**
   * The server holding {@code key}, as far as this process knows: an identity for its circuit
   * breaker, shown in logs. Does not connect.
   */
  abstract Object server(String key);

  /**
   * {@code keys} in groups that one command may use together (a multi-key BLPOP), keeping their
   * order: one group on a single server, one per hash slot on a cluster.
   */
  public abstract List<List<String>> colocated(List<String> keys);

  /**
   * A new connection of its own, for a background loop; the caller closes it. Connects now.
   *
   * @param name the client name Redis shows for it
   * @param key the key it works on, so that it goes to the server holding that key; {@code null}
   *     for any server (pub-sub)
   * @throws JedisException when Redis cannot be reached
   */
  public abstract Jedis dedicated(String name, String key);

  /**
   * A connection failed, or a server said a key lives elsewhere: what is known about the servers
   * (idle pooled connections, the cluster's slot map) is probably stale, so renew it before the
   * next command.
   */
  public abstract void connectionLost(Exception cause);

  /** Closes the pools; connections in use close when returned. Idempotent. */
  @Override
  public abstract void close();

  /**
   * A command sent in one round trip with a blocking one ({@link #blpop}, {@link #blmove}), ahead
   * of it or behind it; its {@link #read} consumes its reply, an error reply included.
   */
  public interface Pipelined {
    /** Nothing sent, nothing read. */
    Pipelined NONE =
        new Pipelined() {
          @Override
          public void send(Connection connection) {}

          @Override
          public void read(Connection connection) {}
        };

    /** Sends the command without reading the reply. */
    void send(Connection connection);

    /** {@code each} in order: all sent, then all replies read. */
    static Pipelined all(List<? extends Pipelined> each) {
      return new Pipelined() {
        @Override
        public void send(Connection connection) {
          each.forEach(p -> p.send(connection));
        }

        @Override
        public void read(Connection connection) {
          each.forEach(p -> p.read(connection));
        }
      };
    }

    /**
     * Reads its reply. An error reply that must not end the round trip is kept, not thrown: the
     * replies after it are still to be read.
     */
    void read(Connection connection);
  }

  /**
   * BLPOP with {@code ahead} sent before it and {@code behind} after it, all in one round trip:
   * Redis runs {@code behind} once BLPOP has popped or timed out. The replies are read in order,
   * {@code behind}'s also when BLPOP was answered with an error. The socket timeout is the wait
   * plus the command timeout: Jedis reads blocking commands with no timeout at all, which would
   * hang on a silently dead connection.
   *
   * @param waitMs how long Redis may block, at least 1
   * @param keys keys of one group of {@link #colocated}
   * @return {@code [key, entry]}, or {@code null} when nothing came in time
   */
  public static List<String> blpop(
      Jedis jedis, long waitMs, Pipelined ahead, Pipelined behind, String... keys) {
    return blocking(
        jedis, waitMs, ahead, Protocol.Command.BLPOP, keys, Connection::getMultiBulkReply, behind);
  }

  /**
   * {@code BLMOVE source destination LEFT RIGHT} (the head of {@code source} to the tail of {@code
   * destination}, waiting up to {@code waitMs}, at least 1) with {@code behind} sent after it, in
   * one round trip, with a socket timeout as {@link #blpop}'s. Redis runs {@code behind} once
   * BLMOVE has moved an entry or timed out. The keys must be of one slot.
   *
   * @return the entry moved, or {@code null} when nothing came in time
   */
  public static String blmove(
      Jedis jedis, long waitMs, String source, String destination, Pipelined behind) {
    String[] args = {source, destination, "LEFT", "RIGHT"};
    return blocking(
        jedis,
        waitMs,
        Pipelined.NONE,
        Protocol.Command.BLMOVE,
        args,
        Connection::getBulkReply,
        behind);
  }

  /**
   * A blocking {@code command} of up to {@code waitMs} between {@code ahead} and {@code behind} in
   * one round trip ({@link #between}), with the socket timeout raised by that wait.
   */
  private static <T> T blocking(
      Jedis jedis,
      long waitMs,
      Pipelined ahead,
      Protocol.Command command,
      String[] args,
      Function<Connection, T> read,
      Pipelined behind) {
    Connection connection = jedis.getConnection();
    int socketTimeout = connection.getSoTimeout();
    connection.setSoTimeout((int) Math.min(Integer.MAX_VALUE, waitMs + socketTimeout));
    try {
      return between(
          connection,
          ahead,
          () -> connection.sendCommand(command, blockingArgs(waitMs, args)),
          () -> read.apply(connection),
          behind);
    } finally {
      if (!connection.isBroken()) {
        connection.setSoTimeout(socketTimeout);
      }
    }
  }

  /**
   * One round trip: sends {@code ahead}, the command ({@code send}) and {@code behind}, then reads
   * their replies in order ({@code read} reads the command's), {@code behind}'s also when the
   * command was answered with an error, so that the connection stays in step.
   */
  public static <T> T between(
      Connection connection, Pipelined ahead, Runnable send, Supplier<T> read, Pipelined behind) {
    ahead.send(connection);
    send.run();
    behind.send(connection);
    ahead.read(connection);
    T reply;
    try {
      reply = read.get();
    } catch (JedisDataException e) {
      behind.read(connection);
      throw e;
    }
    behind.read(connection);
    return reply;
  }

  /** {@code args} of a blocking command followed by its timeout of {@code waitMs} (positive). */
  private static String[] blockingArgs(long waitMs, String... args) {
    String[] all = Arrays.copyOf(args, args.length + 1);
    // Redis takes fractional seconds; millisecond precision is its resolution.
    all[args.length] = BigDecimal.valueOf(waitMs, 3).toPlainString();
    return all;
  }

  /** A connection of its own to {@code address}, connected and authenticated now. */
  static Jedis connect(HostAndPort address, JedisClientConfig config) {
    Jedis jedis = new Jedis(address, config);
    try {
      jedis.ping(); // so that failures surface here
      return jedis;
    } catch (RuntimeException e) {
      jedis.close();
      throw e;
    }
  }

  /** The pool settings shared by both kinds: bounded, no evictor thread, no JMX. */
  static <T> GenericObjectPoolConfig<T> poolConfig(int size, Duration timeout) {
    GenericObjectPoolConfig<T> config = new GenericObjectPoolConfig<>();
    config.setMaxTotal(size);
    config.setMaxIdle(size);
    config.setMinIdle(0);
    // Waiting for a free connection counts against the same bound as a command.
    config.setBlockWhenExhausted(true);
    config.setMaxWait(timeout);
    // No evictor: it would run on a thread of the pool's own, outside the container's control.
    config.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
    config.setTestOnBorrow(false);
    config.setTestWhileIdle(false);
    config.setJmxEnabled(false);
    return config;
  }
}
