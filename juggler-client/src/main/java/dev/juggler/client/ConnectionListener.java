package dev.juggler.client;

/**
 * Told when the client's connection changes state.
 *
 * <p>Called on the client's delivery thread ({@code juggler-client-events}), in order with the
 * events of the subscriptions; an exception thrown here is logged and ignored.
 */
@FunctionalInterface
public interface ConnectionListener {

  /**
   * The connection changed state.
   *
   * @param state the new state, never {@code null}
   * @param cause why the connection was lost ({@link ConnectionState#DISCONNECTED}), otherwise
   *     {@code null}
   */
  void onStateChange(ConnectionState state, Throwable cause);
}
