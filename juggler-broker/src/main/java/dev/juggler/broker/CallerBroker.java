package dev.juggler.broker;

import java.util.SortedSet;
import java.util.UUID;

/**
 * The server side of RPC: queues calls for callees and delivers their results to this node.
 *
 * <p>Implementations are thread-safe. The number of store connections they hold does not depend on
 * the number of client connections.
 */
public interface CallerBroker {

  /**
   * Queues a call for the callees of its URI. Returns once the call is stored.
   *
   * @throws BrokerException with code 429 when the URI's queue is at capacity, 503 when the store
   *     cannot be reached or did not answer lately (the call was not stored), 504 when the store
   *     gave no answer in time (the store refuses to store it from then on; it is stored only if
   *     the store acted before that and its answer was lost on the way)
   */
  void call(CallRequest call) throws BrokerException;

  /**
   * Starts delivering the results of the calls made by connection {@code connUuid} to {@code
   * listener}, until the returned registration is closed.
   *
   * <p>The listener is called on a broker thread (see {@link ResultListener} for how long it may
   * hold it); results for one connection are delivered one at a time, but for a call that has held
   * its thread too long, while which the next may come on another thread. A result is delivered at
   * most once, and never after its call's time-to-live.
   */
  Registration results(UUID connUuid, ResultListener listener);

  /**
   * The URIs that at least one live callee serves: those of a {@link CalleeBroker#heartbeat} whose
   * time-to-live has not passed and that its callee has not {@link CalleeBroker#leave left}. One
   * read of the store (one round trip on Redis), cheap enough to repeat every second or so on every
   * node; never a scan of the whole store.
   *
   * @return a new unmodifiable set, in natural order; empty when no callee is live
   * @throws BrokerException with code 503 when the store cannot be reached
   */
  SortedSet<String> liveUris() throws BrokerException;
}
