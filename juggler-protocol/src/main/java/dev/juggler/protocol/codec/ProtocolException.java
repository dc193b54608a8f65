package dev.juggler.protocol.codec;

/**
 * A frame broke the juggler.0 protocol; the connection that sent it is to be closed.
 *
 * <p>{@link #closeCode()} is the WebSocket close code to use and {@link #getMessage()} a short
 * reason that fits in a close frame (at most 123 bytes).
 */
public final class ProtocolException extends Exception {
  /** 1002: the frame is not valid juggler.0. */
  public static final int PROTOCOL_ERROR = 1002;

  /** 1003: a frame of a kind the server does not accept (binary). */
  public static final int UNSUPPORTED_DATA = 1003;

  /**
   * 1007: a frame holds text that is not Unicode: a text frame that is not valid UTF-8, or a string
   * with an unpaired surrogate (escaped or not), which has no UTF-8 form.
   */
  public static final int INVALID_DATA = 1007;

  /** 1008: a message type the connection is not allowed to send. */
  public static final int POLICY_VIOLATION = 1008;

  /** 1009: the frame is larger than the read limit. */
  public static final int TOO_BIG = 1009;

  private final int closeCode;

  public ProtocolException(int closeCode, String reason) {
    super(reason, null, false, false);
    this.closeCode = closeCode;
  }

  /** The WebSocket close code for this violation. */
  public int closeCode() {
    return closeCode;
  }
}
