package dev.juggler.broker.memory;

import dev.juggler.broker.Broker;
import dev.juggler.broker.BrokerException;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.CallRequest;
import dev.juggler.broker.EventSink;
import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Registration;
import dev.juggler.broker.ResultListener;
import dev.juggler.broker.Subscriber;
import dev.juggler.broker.memory.internal.DeliveryThread;
import dev.juggler.broker.memory.internal.MemorySubscriber;
import dev.juggler.broker.memory.internal.ReplyTo;
import dev.juggler.broker.memory.internal.ResultInbox;
import dev.juggler.protocol.message.NackCode;
import dev.juggler.protocol.message.RawJson;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The brokers in this process's memory, for running without Redis: one instance is one server node
 * (or one callee process) on an {@link InMemoryStore}, with the semantics of {@link
 * dev.juggler.broker.redis.RedisBroker} on a Redis (call and result time-to-live, capacities, Redis
 * glob patterns, ordering). Every broker that must reach another (the server's and the callees') is
 * made on the same store, usually {@link InMemoryStore#shared()}. Single-node: nothing leaves the
 * process.
 *
 * <p>Thread-safe. Threads: one, made by the configuration's thread factory on the first {@link
 * #results} registration or subscription, delivers this broker's results and events one at a time
 * in order; a broker used only by callees starts none, and results stored for a broker wait until
 * that thread starts, as they wait in Redis for a node's results loop. A thread blocked in {@link
 * #take} waits on a condition, without polling. Deadlines are instants of the store's clock ({@link
 * System#nanoTime()} unless a test gives another), which all brokers on it share. Closing the
 * broker stops its thread, removes its subscriptions, drops the results on their way to it and
 * makes its blocked takes fail with code 503; other brokers on the store go on.
 */
public final class InMemoryBroker implements Broker {

  private static final long STOP_WAIT_MS = 1_000;

  private final String nodeId = UUID.randomUUID().toString();
  private final BrokerStats stats = new BrokerStats();
  private final InMemoryStore store;
  private final InMemoryBrokerConfig config;
  private final DeliveryThread dispatcher;
  private final ResultInbox inbox;
  private final Set<MemorySubscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A broker on {@code store}; it starts no thread until it delivers something. */
  public InMemoryBroker(InMemoryStore store, InMemoryBrokerConfig config) {
    this.store = store;
    this.config = config;
    this.dispatcher =
        new DeliveryThread(
            "juggler-memory-" + nodeId, config.threadFactory(), config.deliveryStall());
    this.inbox = new ResultInbox(dispatcher, stats);
    store.attach(nodeId, inbox);
  }

  /** This broker's identity on its store, used to route results back to it: a random UUID. */
  @Override
  public String nodeId() {
    return nodeId;
  }

  /** The store is in this process: it answers while the broker is open. */
  @Override
  public boolean ping() {
    return !closed.get();
  }

  @Override
  public BrokerStats stats() {
    return stats;
  }

  @Override
  public void call(CallRequest call) throws BrokerException {
    requireNoNewline(call.uri(), "uri");
    long ttl = saturatedNanos(call.timeout());
    if (ttl <= 0) {
      throw new BrokerException(NackCode.BAD_REQUEST, "call timeout must be positive");
    }
    ensureOpen();
    String replyTo = new ReplyTo(nodeId, config.resultCapacity()).text();
    store.calls().offer(call, replyTo, store.nanoTime() + ttl, config.callCapacity());
    stats.call();
  }

  @Override
  public Registration results(UUID connUuid, ResultListener listener) {
    if (closed.get()) {
      throw new IllegalStateException("broker closed");
    }
    return inbox.register(connUuid, listener);
  }

  @Override
  public void publish(String channel, UUID pubUuid, RawJson args) throws BrokerException {
    requireNoNewline(channel, "channel");
    ensureOpen();
    store.topicTable().publish(channel, pubUuid, args);
  }

  @Override
  public Subscriber subscriber(EventSink listener) {
    if (closed.get()) {
      throw new IllegalStateException("broker closed");
    }
    MemorySubscriber subscriber =
        new MemorySubscriber(
            store.topicTable(), dispatcher, listener, closed::get, subscribers::remove, stats);
    subscribers.add(subscriber);
    return subscriber;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An interrupted thread returns {@code null} with its interrupt flag set.
   */
  @Override
  public IncomingCall take(List<String> uris, Duration wait) throws BrokerException {
    ensureOpen();
    long end = store.nanoTime() + Math.max(0, saturatedNanos(wait));
    return store.calls().take(uris, end, closed::get, stats);
  }

  @Override
  public boolean result(IncomingCall call, RawJson result) throws BrokerException {
    ensureOpen();
    if (call.remainingNanos() <= 0) {
      return false;
    }
    ReplyTo replyTo = ReplyTo.parse(call.replyTo());
    ResultInbox target = store.inbox(replyTo.nodeId());
    if (target != null) { // else the caller's broker closed: the result has nowhere to go
      target.offer(call, result, replyTo.resultCapacity());
    }
    return true;
  }

  @Override
  public void heartbeat(Collection<String> uris, String calleeId, Duration ttl)
      throws BrokerException {
    requireNoNewlines(uris, calleeId);
    long nanos = saturatedNanos(ttl);
    if (nanos <= 0) {
      throw new BrokerException(NackCode.BAD_REQUEST, "heartbeat ttl must be positive");
    }
    ensureOpen();
    store.liveness().heartbeat(uris, calleeId, store.nanoTime() + nanos);
  }

  @Override
  public void leave(Collection<String> uris, String calleeId) throws BrokerException {
    requireNoNewlines(uris, calleeId);
    ensureOpen();
    store.liveness().leave(uris, calleeId);
  }

  @Override
  public SortedSet<String> liveUris() throws BrokerException {
    ensureOpen();
    return store.liveness().live();
  }

  /**
   * Stops the delivery thread, removes this broker's subscriptions and wakes its blocked takes.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      store.detach(nodeId);
      List.copyOf(subscribers).forEach(Subscriber::close);
      dispatcher.stop(STOP_WAIT_MS);
      store.calls().wakeAll();
    }
  }

  private void ensureOpen() throws BrokerException {
    if (closed.get()) {
      throw stats.failed(BrokerException.unavailable(new IllegalStateException("broker closed")));
    }
  }

  private static void requireNoNewline(String value, String what) throws BrokerException {
    // The Redis broker's entry format forbids newlines; refusing them here too keeps one contract.
    if (value == null || value.indexOf('\n') >= 0) {
      throw new BrokerException(NackCode.BAD_REQUEST, what + " must be set and hold no newline");
    }
  }

  private static void requireNoNewlines(Collection<String> uris, String calleeId)
      throws BrokerException {
    requireNoNewline(calleeId, "callee id");
    for (String uri : uris) {
      requireNoNewline(uri, "uri");
    }
  }

  /** Nanoseconds of {@code d}, capped so that adding them to a nanoTime cannot overflow. */
  private static long saturatedNanos(Duration d) {
    long cap = Long.MAX_VALUE / 4;
    if (d.compareTo(Duration.ofNanos(cap)) > 0) {
      return cap;
    }
    return d.isNegative() ? -1 : d.toNanos();
  }
}
