package dev.juggler.broker.redis.internal;

import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.Registration;
import dev.juggler.broker.ResultListener;
import dev.juggler.broker.support.ResultListeners;
import dev.juggler.broker.support.StallWatch;
import dev.juggler.protocol.message.MsgIds;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Delivers this node's results: one thread on one dedicated connection pops the node's results list
 * and hands each live result to the listener registered for its connection. Results for connections
 * not registered here (closed, or never seen) are dropped.
 *
 * <p>Thread-safe. Listeners run on the loop thread, one result at a time, in queue order; a
 * listener that throws is logged and does not stop delivery. A listener that holds the thread for
 * longer than the stall given (a send to a client that does not read) no longer holds back the
 * others: a new loop thread, on a new connection, takes over, and the held one ends once it has
 * delivered the rest of its batch.
 */
public final class ResultsLoop {

  private static final Logger LOG = Logger.getLogger(ResultsLoop.class.getName());
  private static final int BATCH = 64;
  private static final List<String> BATCH_ARGS = List.of(Integer.toString(BATCH));
  private static final long BLOCK_MS = 1_000;

  /** Most connections whose pending count is removed with one HDEL. */
  private static final int FORGET_BATCH = 1_000;

  /**
   * Most closed connections remembered for cleanup; past it (a long outage) the counts are left to
   * expire with the hash.
   */
  private static final int FORGET_LIMIT = 100_000;

  private final Connections connections;
  private final String nodeId;
  private final BrokerStats stats;
  private final List<String> keys;
  private final ThreadFactory threads;
  private final ResultListeners listeners = new ResultListeners(this::forget);
  private final StallWatch watch;

  /** Closed connections whose pending count is to be removed, by the loop on its connection. */
  private final Queue<UUID> forgotten = new ConcurrentLinkedQueue<>();

  private final AtomicInteger forgottenSize = new AtomicInteger();

  // The loop popping now, null before the first registration; guarded by this.
  private Loop loop;
  private boolean stopped;

  /**
   * @param stall how long a listener may hold the loop's thread before another one takes over
   */
  public ResultsLoop(
      Connections connections,
      String nodeId,
      ThreadFactory threads,
      Duration stall,
      BrokerStats stats) {
    this.connections = connections;
    this.nodeId = nodeId;
    this.stats = stats;
    this.keys = List.of(Keys.results(nodeId), Keys.resultCounts(nodeId), Keys.resultsMoved(nodeId));
    this.threads = threads;
    this.watch =
        new StallWatch(
            "juggler-redis-results-watch-" + nodeId,
            threads,
            stall,
            this::currentCalls,
            this::takeOver);
  }

  /** See {@link dev.juggler.broker.CallerBroker#results}; starts the loop on first use. */
  public Registration register(UUID connUuid, ResultListener listener) {
    Registration reg;
    synchronized (this) {
      if (stopped) {
        throw new IllegalStateException("broker closed");
      }
      reg = listeners.register(connUuid, listener);
      if (loop == null) {
        loop = new Loop();
        loop.ensureStarted(threads);
        watch.start();
      }
    }
    return reg;
  }

  /** Stops the loop and closes its connection. */
  public void stop() {
    Loop last;
    synchronized (this) {
      stopped = true;
      last = loop;
    }
    watch.stop();
    if (last != null) {
      last.stop(BLOCK_MS + connections.timeoutMs());
    }
  }

  private synchronized StallWatch.Calls currentCalls() {
    return loop == null ? null : loop.calls;
  }

  /**
   * A listener holds the loop's thread: a new loop takes over; the held one ends after its batch.
   */
  private void takeOver() {
    Loop held;
    synchronized (this) {
      if (stopped || loop == null) {
        return;
      }
      held = loop;
      loop = new Loop();
      loop.ensureStarted(threads);
    }
    held.retire();
    LOG.fine(() -> "a result listener holds the delivery thread; another one takes over");
  }

  /** One thread popping and delivering results, until it stops or another one takes over. */
  private final class Loop extends ReconnectingLoop {
    final StallWatch.Calls calls = new StallWatch.Calls();

    Loop() {
      super(
          ResultsLoop.this.connections,
          "juggler-redis-results-" + nodeId,
          "juggler-results",
          Keys.results(nodeId),
          ResultsLoop.this.stats);
    }

    @Override
    protected void session(Jedis jedis) {
      connected();
      // The first batch does not wait: it also delivers what an interrupted round trip left moved.
      boolean await = false;
      while (!isStopped()) {
        forgetClosed(jedis);
        // a full batch may have more behind it; otherwise the next one waits in BLMOVE first
        await = popBatch(jedis, await) < BATCH;
      }
    }

    /**
     * Pops and delivers a batch; with {@code await}, in one round trip with a BLMOVE that first
     * waits for an entry (moved for the script to take first). Returns how many it popped from the
     * results list.
     */
    private long popBatch(Jedis jedis, boolean await) {
      ScriptCall batch = new ScriptCall(LuaScript.RESULTS, keys, BATCH_ARGS);
      if (await) {
        Connections.blmove(jedis, BLOCK_MS, keys.get(0), keys.get(2), batch);
        batch.rerunIfNoScript(jedis);
        if (batch.reply instanceof JedisDataException e) {
          throw e;
        }
      } else {
        batch.reply = batch.eval(jedis);
      }
      List<?> reply = (List<?>) batch.reply;
      long popped = (Long) reply.get(0);
      long judged = popped + (Long) reply.get(1);
      stats.expiredResults(judged - (reply.size() - 2)); // the script keeps only the live ones
      for (int i = 2; i < reply.size(); i++) {
        deliver((String) reply.get(i));
      }
      return popped;
    }

    private void deliver(String payload) {
      Entries.ResultEntry entry;
      try {
        entry = Entries.parseResult(payload);
      } catch (IllegalArgumentException e) {
        stats.payloadDecodeFailure();
        LOG.log(Level.WARNING, "dropped a malformed result entry", e);
        return;
      }
      ResultListener listener = listeners.get(entry.connUuid());
      if (listener == null) {
        return; // the connection closed, or lives on another node's broker instance
      }
      stats.result();
      calls.begin();
      try {
        listener.onResult(
            new Res(MsgIds.next(), entry.callUuid(), entry.uri(), new RawJson(entry.args())));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "result listener of connection " + entry.connUuid() + " failed", e);
      } finally {
        calls.end();
      }
    }
  }

  private void forgetClosed(Jedis jedis) {
    List<String> fields = new ArrayList<>();
    for (UUID conn; fields.size() < FORGET_BATCH && (conn = forgotten.poll()) != null; ) {
      forgottenSize.decrementAndGet();
      fields.add(conn.toString());
    }
    if (fields.isEmpty()) {
      return;
    }
    try {
      jedis.hdel(keys.get(1), fields.toArray(String[]::new));
    } catch (RuntimeException e) {
      fields.forEach(f -> forget(UUID.fromString(f)));
      throw e;
    }
  }

  private void forget(UUID connUuid) {
    if (forgottenSize.incrementAndGet() <= FORGET_LIMIT) {
      forgotten.add(connUuid);
    } else {
      forgottenSize.decrementAndGet();
    }
  }
}
