package dev.juggler.protocol.message;

import java.util.UUID;

/** A juggler.0 message: its type and the UUID its sender gave it. */
public sealed interface Msg permits Request, Response {

  /** The message's own UUID ({@code meta.uuid}). */
  UUID uuid();

  /** The message type ({@code meta.type}). */
  MsgType type();
}
