package dev.juggler.core.broker;

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
   *     cannot be reached; the call was not stored
   */
  void call(CallRequest call) throws BrokerException;

  /**
   * Starts delivering the results of the calls made by connection {@code connUuid} to {@code
   * listener}, until the returned registration is closed.
   *
   * <p>The listener is called on a broker thread and must not block; results for one connection are
   * delivered one at a time. A result is delivered at most once, and never after its call's
   * time-to-live.
   */
  Registration results(UUID connUuid, ResultListener listener);
}
