package dev.juggler.broker.redis.internal;

import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.Registration;
import dev.juggler.broker.ResultListener;
import dev.juggler.broker.support.ResultListeners;
import dev.juggler.protocol.message.MsgIds;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
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
 * listener that throws is logged and does not stop delivery.
 */
public final class ResultsLoop extends ReconnectingLoop {

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

  private final List<String> keys;
  private final ThreadFactory threads;
  private final ResultListeners listeners = new ResultListeners(this::forget);

  /** Closed connections whose pending count is to be removed, by the loop on its connection. */
  private final Queue<UUID> forgotten = new ConcurrentLinkedQueue<>();

  private final AtomicInteger forgottenSize = new AtomicInteger();

  public ResultsLoop(
      Connections connections, String nodeId, ThreadFactory threads, BrokerStats stats) {
    super(
        connections,
        "juggler-redis-results-" + nodeId,
        "juggler-results",
        Keys.results(nodeId),
        stats);
    this.keys = List.of(Keys.results(nodeId), Keys.resultCounts(nodeId), Keys.resultsMoved(nodeId));
    this.threads = threads;
  }

  /** See {@link dev.juggler.broker.CallerBroker#results}; starts the loop on first use. */
  public Registration register(UUID connUuid, ResultListener listener) {
    if (isStopped()) {
      throw new IllegalStateException("broker closed");
    }
    Registration reg = listeners.register(connUuid, listener);
    ensureStarted(threads);
    return reg;
  }

  /** Stops the loop and closes its connection. */
  public void stop() {
    stop(BLOCK_MS + connections.timeoutMs());
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
   * Pops and delivers a batch; with {@code await}, in one round trip with a BLMOVE that first waits
   * for an entry (moved for the script to take first). Returns how many it popped from the results
   * list.
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
    try {
      listener.onResult(
          new Res(MsgIds.next(), entry.callUuid(), entry.uri(), new RawJson(entry.args())));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "result listener of connection " + entry.connUuid() + " failed", e);
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
