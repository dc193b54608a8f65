package dev.juggler.protocol.message;

import java.util.UUID;

/**
 * PUB: publishes {@code args} on {@code channel}.
 *
 * @param uuid the message UUID
 * @param channel the channel
 * @param args the event arguments, raw
 */
public record Pub(UUID uuid, String channel, RawJson args) implements Request {
  @Override
  public MsgType type() {
    return MsgType.PUB;
  }
}
