package dev.juggler.protocol.message;

import java.util.UUID;

/**
 * UNSB: removes a subscription made by {@link Sub}.
 *
 * @param uuid the message UUID
 * @param channel the channel or pattern
 * @param pattern whether {@code channel} is a pattern
 */
public record Unsb(UUID uuid, String channel, boolean pattern) implements Request {
  @Override
  public MsgType type() {
    return MsgType.UNSB;
  }
}
