package dev.juggler.callee.function;

import dev.juggler.protocol.message.MetaUris;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which method claimed which URI, to refuse invalid and duplicate URIs. Thread-safe (CDI may fire
 * discovery events from several threads).
 */
final class FunctionCatalog {
  private final Map<String, String> owners = new HashMap<>();

  /**
   * Claims {@code uri} for {@code owner}.
   *
   * @return why the claim is refused, if it is
   */
  synchronized Optional<String> claim(String uri, String owner) {
    if (uri == null || uri.isBlank()) {
      return Optional.of("@RpcFunction on " + owner + " has a blank URI");
    }
    if (uri.chars().anyMatch(c -> c == ',' || Character.isWhitespace(c))) {
      // Commas separate URIs in juggler.callee.uris; such a URI could not be listed there.
      return Optional.of(
          "@RpcFunction(\"" + uri + "\") on " + owner + ": a URI has no whitespace or commas");
    }
    if (MetaUris.isMeta(uri)) {
      // Server nodes answer it themselves: the function would never be called.
      return Optional.of(
          "@RpcFunction(\""
              + uri
              + "\") on "
              + owner
              + ": the URI is reserved, server nodes answer it");
    }
    String previous = owners.putIfAbsent(uri, owner);
    if (previous != null && !previous.equals(owner)) {
      return Optional.of(
          "Duplicate @RpcFunction URI \""
              + uri
              + "\": served by both "
              + previous
              + " and "
              + owner
              + "; a URI may have one function only");
    }
    return Optional.empty();
  }
}
