package dev.juggler.tools.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations written as Go does ({@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}). */
public final class DurationConverter {

  private static final Pattern FORMAT = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");

  private DurationConverter() {}

  /**
   * Parses one duration.
   *
   * @throws IllegalArgumentException when {@code text} is not a number followed by a unit
   */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a duration (expected e.g. 500ms, 10s, 2m): '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ns":
        return Duration.ofNanos(n);
      case "us":
        return Duration.ofNanos(n * 1000);
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      default:
        return Duration.ofHours(n);
    }
  }

  /** Writes {@code d} the way {@link #parse} reads it, in the largest unit that keeps it exact. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    String[] units = {"h", "m", "s", "ms", "us"};
    long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1000L};
    for (int i = 0; i < units.length; i++) {
      if (nanos != 0 && nanos % sizes[i] == 0) {
        return nanos / sizes[i] + units[i];
      }
    }
    return nanos + "ns";
  }
}
