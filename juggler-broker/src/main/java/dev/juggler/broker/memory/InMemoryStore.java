package dev.juggler.broker.memory;

import dev.juggler.broker.memory.internal.CallQueues;
import dev.juggler.broker.memory.internal.Liveness;
import dev.juggler.broker.memory.internal.ResultInbox;
import dev.juggler.broker.memory.internal.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What Redis holds for the Redis broker, in this process's memory: the calls waiting per URI, the
 * route of results to each broker instance, the subscriptions, and which callees are live. {@link
 * InMemoryBroker}s on one store see each other's calls, results and events, as Redis brokers on one
 * Redis do.
 *
 * <p>Thread-safe. A store has no threads and holds nothing that needs closing; a store nobody
 * references is garbage. Its calls and events live as long as the process, and only reach brokers
 * of the same process: this is a single-node mode.
 */
public final class InMemoryStore {

  private final LongSupplier nanoClock;
  private final CallQueues calls;
  private final Topics topics = new Topics();
  private final Liveness liveness;
  private final Map<String, ResultInbox> inboxes = new ConcurrentHashMap<>();

  /** An empty store of its own, for one test or one embedded use. */
  public InMemoryStore() {
    this(System::nanoTime);
  }

  /**
   * An empty store whose time-to-lives run on {@code nanoClock} instead of {@link
   * System#nanoTime()}: a test can then let them pass without waiting. Waits for calls ({@link
   * InMemoryBroker#take}) still last real time; they end early only when a call arrives.
   *
   * @param nanoClock readings in nanoseconds that never go back, as {@link System#nanoTime()}'s
   */
  public InMemoryStore(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.calls = new CallQueues(nanoClock);
    this.liveness = new Liveness(nanoClock);
  }

  /**
   * The store of this class loader, for the modules of one application that cannot share a bean: in
   * an EAR with this library in {@code lib/}, the web module's broker and the callee module's
   * broker are both made on it and so reach each other. Modules deployed as separate applications
   * have separate class loaders, hence separate stores.
   */
  public static InMemoryStore shared() {
    return Shared.STORE;
  }

  /** Calls waiting for {@code uri}, including expired calls not yet discarded. */
  public int queuedCalls(String uri) {
    return calls.size(uri);
  }

  /** Calls discarded because their time-to-live passed while they waited. */
  public long discardedCalls() {
    return calls.discarded();
  }

  /** Channels and patterns that have at least one subscriber. */
  public int topics() {
    return topics.size();
  }

  /** Now, on this store's clock. */
  long nanoTime() {
    return nanoClock.getAsLong();
  }

  CallQueues calls() {
    return calls;
  }

  Liveness liveness() {
    return liveness;
  }

  Topics topicTable() {
    return topics;
  }

  void attach(String nodeId, ResultInbox inbox) {
    inboxes.put(nodeId, inbox);
  }

  void detach(String nodeId) {
    inboxes.remove(nodeId);
  }

  /** The inbox of a broker on this store, or {@code null} once that broker is closed. */
  ResultInbox inbox(String nodeId) {
    return inboxes.get(nodeId);
  }

  /** Created on first use; a static field, as modules of one application share nothing else. */
  private static final class Shared {
    static final InMemoryStore STORE = new InMemoryStore();
  }
}
