package dev.juggler.protocol.message;

/** The message types of the juggler.0 protocol, with their wire numbers. */
public enum MsgType {
  CALL(1, true),
  PUB(2, true),
  SUB(3, true),
  UNSB(4, true),
  NACK(7, false),
  ACK(8, false),
  RES(9, false),
  EVNT(10, false);

  private static final MsgType[] BY_CODE = new MsgType[11];

  static {
    for (MsgType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final boolean read;

  MsgType(int code, boolean read) {
    this.code = code;
    this.read = read;
  }

  /** The number of this type on the wire. */
  public int code() {
    return code;
  }

  /** True for requests: messages the server reads from a client. */
  public boolean isRead() {
    return read;
  }

  /** True for responses: messages the server writes to a client. */
  public boolean isWrite() {
    return !read;
  }

  /** The lower-case name used by the {@code Juggler-Allowed-Messages} header and in metrics. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The type with that wire number.
   *
   * @return the type, or {@code null} when the number is not a juggler.0 type
   */
  public static MsgType ofCode(long code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
  }
}
