package dev.juggler.client;

import dev.juggler.protocol.message.Evnt;

/**
 * Receives the events of one subscription.
 *
 * <p>Called on the client's single delivery thread (named {@code juggler-client-events}), one event
 * at a time, in the order the server sent them. An exception thrown here is logged and does not
 * stop delivery. Blocking here delays every other listener of the same client; in particular, do
 * not wait here for a future of the same client that completes only through an event.
 */
@FunctionalInterface
public interface EventListener {

  /**
   * One event.
   *
   * @param event the event, never {@code null}; {@link Evnt#pattern()} is set when it came through
   *     a pattern subscription
   */
  void onEvent(Evnt event);
}
