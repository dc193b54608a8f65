package dev.juggler.broker;

/**
 * A broker that serves every role: what a server node or a callee process opens. The Redis broker
 * and the in-process broker are both this; a module uses only the roles it needs, and a broker
 * opens a role's connections and threads only when that role is first used.
 *
 * <p>Implementations are thread-safe.
 */
public interface Broker extends CallerBroker, PubSubBroker, CalleeBroker, AutoCloseable {

  /** This broker's identity among the nodes that share its store. */
  String nodeId();

  /**
   * Whether the store behind the broker answers now; for a remote store one round trip, bounded by
   * the broker's timeout. Never throws.
   */
  boolean ping();

  /** This broker's counters (calls, results, events, errors); never null. */
  BrokerStats stats();

  /** Stops the broker's threads and closes its connections; closing twice is harmless. */
  @Override
  void close();
}
