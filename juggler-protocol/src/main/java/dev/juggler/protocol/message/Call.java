package dev.juggler.protocol.message;

import java.time.Duration;
import java.util.UUID;

/**
 * CALL: asks for the function at {@code uri} to run with {@code args}.
 *
 * @param uuid the message UUID
 * @param uri the function's URI
 * @param timeout how long the caller waits for the result; {@link Duration#ZERO} for the server's
 *     default
 * @param args the arguments, raw
 */
public record Call(UUID uuid, String uri, Duration timeout, RawJson args) implements Request {
  @Override
  public MsgType type() {
    return MsgType.CALL;
  }
}
