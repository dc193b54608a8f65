package dev.juggler.protocol.message;

import java.util.UUID;

/**
 * SUB: subscribes the connection to a channel, or to a Redis glob pattern when {@code pattern}.
 *
 * @param uuid the message UUID
 * @param channel the channel or pattern
 * @param pattern whether {@code channel} is a pattern
 */
public record Sub(UUID uuid, String channel, boolean pattern) implements Request {
  @Override
  public MsgType type() {
    return MsgType.SUB;
  }
}
