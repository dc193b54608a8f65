package dev.juggler.client;

import java.time.Duration;

/**
 * A PUB, SUB or UNSB got neither ACK nor NACK within {@link ClientOptions#ackTimeout()}; whether
 * the server acted on it is unknown.
 */
public final class AckTimeoutException extends JugglerException {

  /**
   * @param what the request, for the message
   * @param timeout the ack timeout
   */
  public AckTimeoutException(String what, Duration timeout) {
    super(what + ": no ACK within " + timeout.toMillis() + " ms");
  }
}
