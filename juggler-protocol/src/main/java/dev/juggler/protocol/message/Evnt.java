package dev.juggler.protocol.message;

import java.util.UUID;

/**
 * EVNT: an event published on a channel the connection is subscribed to.
 *
 * @param uuid the message UUID
 * @param forUuid the PUB's UUID
 * @param channel the channel the event was published on
 * @param pattern the pattern subscription that delivered it, or {@code null} for a channel
 *     subscription
 * @param args the event arguments, raw
 */
public record Evnt(UUID uuid, UUID forUuid, String channel, String pattern, RawJson args)
    implements Response {
  @Override
  public MsgType type() {
    return MsgType.EVNT;
  }
}
