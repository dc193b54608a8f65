package dev.juggler.client;

import dev.juggler.client.internal.Json;
import dev.juggler.protocol.message.RawJson;
import java.util.Map;
import java.util.Optional;

/**
 * Reads call results. A callee that fails still answers with a normal RES whose result is {@code
 * {"error":{"message":"…"}}}; the client completes the call's future with it, as with any result.
 * Stateless and thread-safe.
 */
public final class CallResults {

  private CallResults() {}

  /**
   * The error message when {@code result} is an error result.
   *
   * @param result a call's raw result
   * @return the message (empty string when the error object has none), or empty when {@code result}
   *     is not an object with an {@code error} object
   */
  public static Optional<String> errorMessage(RawJson result) {
    if (!result.text().stripLeading().startsWith("{")) {
      return Optional.empty();
    }
    Object value = Json.decode(result, Map.class);
    if (value instanceof Map<?, ?> map && map.get("error") instanceof Map<?, ?> error) {
      Object message = error.get("message");
      return Optional.of(message instanceof String s ? s : "");
    }
    return Optional.empty();
  }
}
