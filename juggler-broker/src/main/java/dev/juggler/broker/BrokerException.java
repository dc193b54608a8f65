package dev.juggler.broker;

import dev.juggler.protocol.message.NackCode;

/**
 * A broker operation failed; {@link #code()} is the NACK code to answer the request with.
 *
 * <p>{@link NackCode#TOO_MANY} when a capacity is exceeded, {@link NackCode#UNAVAILABLE} when the
 * broker's store cannot be reached (the operation was not carried out), {@link
 * NackCode#OUTCOME_UNKNOWN} when the operation was sent and no answer came in time, {@link
 * NackCode#INTERNAL} otherwise.
 */
public class BrokerException extends Exception {
  private final int code;

  public BrokerException(int code, String message) {
    super(message);
    this.code = code;
  }

  public BrokerException(int code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The NACK code for the request that failed. */
  public int code() {
    return code;
  }

  /** A capacity (calls per URI, results per connection) is exceeded. */
  public static BrokerException capacityExceeded(String what) {
    return new BrokerException(NackCode.TOO_MANY, what + " capacity exceeded");
  }

  /**
   * The operation was sent to the store and no answer came in time; the store will not carry it out
   * from now on.
   */
  public static BrokerException outcomeUnknown(Throwable cause) {
    return new BrokerException(
        NackCode.OUTCOME_UNKNOWN,
        "broker did not answer in time; not carried out from now on",
        cause);
  }

  /** The store behind the broker cannot be reached. */
  public static BrokerException unavailable(Throwable cause) {
    return new BrokerException(NackCode.UNAVAILABLE, "broker unavailable", cause);
  }
}
