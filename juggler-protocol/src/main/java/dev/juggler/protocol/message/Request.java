package dev.juggler.protocol.message;

/** A message sent by a client to the server: CALL, PUB, SUB or UNSB. */
public sealed interface Request extends Msg permits Call, Pub, Sub, Unsb {

  /** The call URI for a CALL, otherwise {@code null}. */
  default String uri() {
    return null;
  }

  /** The channel (or pattern) for PUB, SUB and UNSB, otherwise {@code null}. */
  default String channel() {
    return null;
  }
}
