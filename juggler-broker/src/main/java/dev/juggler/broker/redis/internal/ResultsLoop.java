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
  private static final String BATCH_ARG = Integer.toString(BATCH);
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
    this.keys = List.of(Keys.results(nodeId), Keys.resultCounts(nodeId));
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
    String popped = null;
    while (!isStopped()) {
      forgetClosed(jedis);
      // a full batch may have more behind it; otherwise wait in BLPOP, whose entry then goes
      // into the next batch instead of costing a command of its own
      long taken = popBatch(jedis, popped);
      popped = taken < BATCH ? awaitOne(jedis) : null;
    }
    if (popped != null) {
      popBatch(jedis, popped); // judged and counted, even while stopping
    }
  }

  /** Pops and delivers a batch, with {@code awaited} judged first; returns how many were popped. */
  private long popBatch(Jedis jedis, String awaited) {
    List<String> args = awaited == null ? List.of(BATCH_ARG) : List.of(BATCH_ARG, awaited);
    List<?> reply = (List<?>) LuaScript.RESULTS.eval(jedis, keys, args);
    long popped = (Long) reply.get(0);
    long judged = popped + (args.size() - 1);
    stats.expiredResults(judged - (reply.size() - 1)); // the script keeps only the live ones
    for (int i = 1; i < reply.size(); i++) {
      deliver((String) reply.get(i));
    }
    return popped;
  }

  /** Blocks for the next result; returns its entry, not yet judged, or {@code null}. */
  private String awaitOne(Jedis jedis) {
    List<String> popped = Connections.blpop(jedis, BLOCK_MS, keys.get(0));
    return popped == null ? null : popped.get(1);
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
