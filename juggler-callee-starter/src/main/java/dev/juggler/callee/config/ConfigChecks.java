package dev.juggler.callee.config;

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
