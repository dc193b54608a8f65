package dev.juggler.client;

import java.time.Duration;

/**
 * No RES came within the call's timeout. The server never sends a RES after it; should one arrive
 * late anyway, the client drops it.
 */
public final class CallExpiredException extends JugglerException {

  /**
   * @param uri the call's URI
   * @param timeout its timeout
   */
  public CallExpiredException(String uri, Duration timeout) {
    super("call to " + uri + " expired after " + timeout.toMillis() + " ms");
  }
}
