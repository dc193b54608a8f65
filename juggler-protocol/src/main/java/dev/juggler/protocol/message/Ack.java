package dev.juggler.protocol.message;

import java.util.UUID;

/**
 * ACK: the request was registered.
 *
 * @param uuid the message UUID
 * @param forUuid the request's UUID
 * @param forType the request's type
 * @param uri the CALL's URI, otherwise {@code null}
 * @param channel the PUB/SUB/UNSB channel, otherwise {@code null}
 */
public record Ack(UUID uuid, UUID forUuid, MsgType forType, String uri, String channel)
    implements Response {

  /** The ACK for {@code request}, with a fresh UUID. */
  public static Ack of(Request request) {
    return new Ack(MsgIds.next(), request.uuid(), request.type(), request.uri(), request.channel());
  }

  @Override
  public MsgType type() {
    return MsgType.ACK;
  }
}
