package dev.juggler.broker.redis;

import dev.juggler.broker.Broker;
import dev.juggler.broker.BrokerException;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.CallRequest;
import dev.juggler.broker.EventSink;
import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Registration;
import dev.juggler.broker.ResultListener;
import dev.juggler.broker.Subscriber;
import dev.juggler.broker.redis.internal.CallQueue;
import dev.juggler.broker.redis.internal.Connections;
import dev.juggler.broker.redis.internal.Keys;
import dev.juggler.broker.redis.internal.Liveness;
import dev.juggler.broker.redis.internal.PubSub;
import dev.juggler.broker.redis.internal.ResultsLoop;
import dev.juggler.protocol.message.RawJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The brokers on Redis. One instance serves one server node (or one callee process); the Redis
 * layout is described in {@link dev.juggler.broker.redis}.
 *
 * <p>Thread-safe. Connections: a pool of at most {@code poolSize} for commands (per node on a Redis
 * Cluster, so {@code nodes × poolSize} in all), on which each thread blocked in {@link #take} holds
 * one (so a callee's worker count must stay below the pool size); one dedicated connection and
 * thread delivering this node's results, started by the first {@link #results} registration; one
 * dedicated connection and thread for pub-sub, started by the first subscription. The count does
 * not depend on the number of client connections, subscribers or registrations. Threads come from
 * the configuration's thread factory.
 *
 * <p>Nothing connects at construction, so a broker can be built while Redis is down. Commands fail
 * with code 503 when Redis cannot be reached, within the configured timeout; the background loops
 * reconnect by themselves with capped exponential backoff, and the pub-sub loop then subscribes
 * again to every channel and pattern in use.
 */
public final class RedisBroker implements Broker {

  private final String nodeId = UUID.randomUUID().toString();
  private final BrokerStats stats = new BrokerStats();
  private final Connections connections;
  private final CallQueue calls;
  private final ResultsLoop results;
  private final PubSub pubSub;
  private final Liveness liveness;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Creates the broker without connecting.
   *
   * @throws IllegalArgumentException when the target's URL is not a Redis URL
   */
  public RedisBroker(RedisBrokerConfig config) {
    this.connections =
        Connections.create(
            config.target(), config.poolSize(), config.timeout(), config.threadFactory());
    this.calls =
        new CallQueue(connections, nodeId, config.callCapacity(), config.resultCapacity(), stats);
    this.results =
        new ResultsLoop(connections, nodeId, config.threadFactory(), config.deliveryStall(), stats);
    this.pubSub = new PubSub(connections, nodeId, config.threadFactory(), stats);
    this.liveness = new Liveness(connections);
  }

  /** This node's identity, used to route results back to it: a random UUID per instance. */
  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public void call(CallRequest call) throws BrokerException {
    counted(
        () -> {
          calls.call(call);
          return null;
        });
    stats.call();
  }

  @Override
  public Registration results(UUID connUuid, ResultListener listener) {
    return results.register(connUuid, listener);
  }

  @Override
  public void publish(String channel, UUID pubUuid, RawJson args) throws BrokerException {
    counted(
        () -> {
          pubSub.publish(channel, pubUuid, args);
          return null;
        });
  }

  @Override
  public Subscriber subscriber(EventSink listener) {
    return pubSub.subscriber(listener);
  }

  @Override
  public IncomingCall take(List<String> uris, Duration wait) throws BrokerException {
    List<IncomingCall> calls = take(uris, wait, 1);
    return calls.isEmpty() ? null : calls.get(0);
  }

  /** {@inheritDoc} One round trip while calls wait; see {@link CallQueue#take}. */
  @Override
  public List<IncomingCall> take(List<String> uris, Duration wait, int max) throws BrokerException {
    return counted(() -> calls.take(uris, wait, max));
  }

  @Override
  public boolean result(IncomingCall call, RawJson result) throws BrokerException {
    return counted(() -> calls.result(call, result));
  }

  /** {@inheritDoc} The results for one node go in one round trip. */
  @Override
  public void results(List<Finished> finished) {
    try {
      ensureOpen();
    } catch (BrokerException e) {
      finished.forEach(f -> f.report().failed(e)); // none is tried; counted once
      return;
    }
    calls.results(counting(finished));
  }

  /**
   * {@inheritDoc} One round trip where the results' lists and the calls lists are in one hash slot
   * (always, on one Redis; see {@link CallQueue#resultsThenTake}).
   */
  @Override
  public List<IncomingCall> resultsThenTake(
      List<Finished> finished, List<String> uris, Duration wait, int max) throws BrokerException {
    try {
      ensureOpen();
    } catch (BrokerException e) {
      finished.forEach(f -> f.report().failed(e)); // neither is tried; counted once
      throw e;
    }
    List<Finished> counting = counting(finished);
    return counted(() -> calls.resultsThenTake(counting, uris, wait, max));
  }

  /** {@code finished} with reports that count the store's failures in this broker's stats. */
  private List<Finished> counting(List<Finished> finished) {
    List<Finished> counting = new ArrayList<>(finished.size());
    for (Finished f : finished) {
      ResultReport report = f.report();
      counting.add(
          new Finished(
              f.call(),
              f.result(),
              new ResultReport() {
                @Override
                public void stored(boolean stored) {
                  report.stored(stored);
                }

                @Override
                public void failed(Exception failure) {
                  if (failure instanceof BrokerException e) {
                    stats.failed(e);
                  }
                  report.failed(failure);
                }
              }));
    }
    return counting;
  }

  @Override
  public BrokerStats stats() {
    return stats;
  }

  /** {@inheritDoc} One script run on a pooled connection; see {@code heartbeat.lua}. */
  @Override
  public void heartbeat(Collection<String> uris, String calleeId, Duration ttl)
      throws BrokerException {
    ensureOpen();
    liveness.heartbeat(uris, calleeId, ttl);
  }

  /** {@inheritDoc} One {@code ZREM} of this callee's own members. */
  @Override
  public void leave(Collection<String> uris, String calleeId) throws BrokerException {
    ensureOpen();
    liveness.leave(uris, calleeId);
  }

  /** {@inheritDoc} One script run on a pooled connection; see {@code live.lua}. */
  @Override
  public SortedSet<String> liveUris() throws BrokerException {
    ensureOpen();
    return liveness.liveUris();
  }

  @Override
  public boolean ping() {
    try {
      return "PONG".equals(connections.run(Keys.results(nodeId), jedis -> jedis.ping()));
    } catch (BrokerException | RuntimeException e) {
      return false;
    }
  }

  /** Stops the background threads and closes every connection. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      results.stop();
      pubSub.stop();
      connections.close();
    }
  }

  /** A request-path operation on the store. */
  private interface StoreOp<T> {
    T run() throws BrokerException;
  }

  /** Runs {@code op} on an open broker; a failure it reports counts in the stats (see there). */
  private <T> T counted(StoreOp<T> op) throws BrokerException {
    ensureOpen();
    try {
      return op.run();
    } catch (BrokerException e) {
      throw stats.failed(e);
    }
  }

  private void ensureOpen() throws BrokerException {
    if (closed.get()) {
      throw stats.failed(BrokerException.unavailable(new IllegalStateException("broker closed")));
    }
  }
}
