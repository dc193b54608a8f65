package dev.juggler.protocol.message;

import java.util.UUID;

/**
 * NACK: the request was rejected and has no effect.
 *
 * @param uuid the message UUID
 * @param forUuid the request's UUID
 * @param forType the request's type
 * @param uri the CALL's URI, otherwise {@code null}
 * @param channel the PUB/SUB/UNSB channel, otherwise {@code null}
 * @param code an HTTP-like status code (see {@link NackCode})
 * @param message a human-readable reason
 */
public record Nack(
    UUID uuid, UUID forUuid, MsgType forType, String uri, String channel, int code, String message)
    implements Response {

  /** The NACK for {@code request}, with a fresh UUID. */
  public static Nack of(Request request, int code, String message) {
    return new Nack(
        MsgIds.next(),
        request.uuid(),
        request.type(),
        request.uri(),
        request.channel(),
        code,
        message);
  }

  @Override
  public MsgType type() {
    return MsgType.NACK;
  }
}
