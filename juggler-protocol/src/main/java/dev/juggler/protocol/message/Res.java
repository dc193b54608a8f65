package dev.juggler.protocol.message;

import java.util.UUID;

/**
 * RES: the result of a call, sent only to the calling connection.
 *
 * @param uuid the message UUID
 * @param forUuid the CALL's UUID
 * @param uri the CALL's URI
 * @param args the result, raw; {@code {"error":{"message":…}}} when the callee failed
 */
public record Res(UUID uuid, UUID forUuid, String uri, RawJson args) implements Response {
  @Override
  public MsgType type() {
    return MsgType.RES;
  }
}
