package dev.juggler.callee.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Validation of setting values, with messages that name the property so that a failed deployment
 * says which setting to fix.
 */
final class ConfigChecks {

  private ConfigChecks() {}

  static long inRange(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw invalid(key, value, "must be between " + min + " and " + max);
    }
    return value;
  }

  /**
   * The callees' Redis: the caller URL, else the shared one, else the default. Cluster nodes are
   * refused for now, together with a URL or alone.
   */
  static URI callerRedisUrl(
      Optional<String> url, Optional<String> callerUrl, Optional<String> clusterNodes) {
    if (present(clusterNodes)) {
      List<String> urls = new ArrayList<>();
      if (present(url)) {
        urls.add(CalleeConfig.REDIS_URL);
      }
      if (present(callerUrl)) {
        urls.add(CalleeConfig.CALLER_REDIS_URL);
      }
      String why =
          urls.isEmpty()
              ? "is not supported yet; set " + CalleeConfig.REDIS_URL
              : "cannot be combined with " + String.join(", ", urls) + "; set one";
      throw invalid(CalleeConfig.CLUSTER_NODES, clusterNodes.get(), why);
    }
    if (present(callerUrl)) {
      return redisUrl(CalleeConfig.CALLER_REDIS_URL, callerUrl.get());
    }
    return redisUrl(CalleeConfig.REDIS_URL, url.orElse(CalleeConfig.DEFAULT_REDIS_URL));
  }

  private static boolean present(Optional<String> value) {
    return value.isPresent() && !value.get().isBlank();
  }

  /** A {@code redis://} or {@code rediss://} URL with a host. */
  static URI redisUrl(String key, String value) {
    URI url;
    try {
      url = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw invalid(key, redact(value), "is not a URL: " + e.getReason());
    }
    if (!"redis".equals(url.getScheme()) && !"rediss".equals(url.getScheme())) {
      throw invalid(key, redact(value), "must be a redis:// or rediss:// URL");
    }
    if (url.getHost() == null) {
      throw invalid(key, redact(value), "has no host");
    }
    return url;
  }

  /** The items of a comma-separated list, trimmed, empty ones dropped; empty for a blank list. */
  static Optional<List<String>> list(Optional<String> value) {
    List<String> items = new ArrayList<>();
    for (String item : value.orElse("").split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(items));
  }

  /** {@code url} with any password hidden, for logs and messages. */
  static String redact(Object url) {
    return String.valueOf(url).replaceFirst("//[^/@]*@", "//***@");
  }

  private static IllegalStateException invalid(String key, Object value, String why) {
    return new IllegalStateException(
        "Invalid configuration: "
            + key
            + "="
            + value
            + " "
            + why
            + " (set it with a system property, a server.xml variable or the environment)");
  }
}
