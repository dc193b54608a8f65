package dev.juggler.callee.worker;

import dev.juggler.callee.config.CalleeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Which URIs the workers serve: the registered ones, narrowed by the configured allow-list. */
final class ServedUris {

  private ServedUris() {}

  /**
   * @param registered the URIs that have a function
   * @param allowList {@code juggler.callee.uris}; empty for all registered
   * @return the URIs to serve, sorted
   * @throws IllegalStateException when the allow-list names a URI without a function (a typo would
   *     otherwise leave that URI silently unserved)
   */
  static List<String> select(Set<String> registered, Optional<List<String>> allowList) {
    if (allowList.isEmpty()) {
      return List.copyOf(new TreeSet<>(registered));
    }
    List<String> unknown = new ArrayList<>();
    for (String uri : allowList.get()) {
      if (!registered.contains(uri)) {
        unknown.add(uri);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException(
          "Invalid configuration: "
              + CalleeConfig.URIS
              + " lists "
              + unknown
              + " but no @RpcFunction serves them; registered: "
              + new TreeSet<>(registered));
    }
    return List.copyOf(new TreeSet<>(allowList.get()));
  }
}
