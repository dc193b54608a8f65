package dev.juggler.broker;

import dev.juggler.protocol.message.Res;

/**
 * Receives the results of a connection's calls; called on a broker thread.
 *
 * <p>A listener may send the result to its client on that thread, and so block while the client
 * does not read: once a call has held the thread for the broker's delivery stall (its
 * configuration's {@code deliveryStall}, 200 ms by default), the broker delivers the other
 * connections' results on another thread, so that one such client delays them by that much at most.
 * It must not block for other reasons.
 */
@FunctionalInterface
public interface ResultListener {
  void onResult(Res res);
}
