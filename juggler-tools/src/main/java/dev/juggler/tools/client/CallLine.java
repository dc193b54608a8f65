package dev.juggler.tools.client;

import java.time.Duration;

/**
 * The tail of a {@code call} command: JSON args, then an optional timeout in milliseconds. A last
 * word of digits is the timeout only when something precedes it ({@code call 1 test.echo 5} calls
 * with the number 5).
 */
record CallLine(String args, Duration timeout) {

  static CallLine parse(String tail, Duration defaultTimeout) {
    String t = tail.trim();
    int space = t.lastIndexOf(' ');
    if (space > 0) {
      String last = t.substring(space + 1);
      String before = t.substring(0, space).trim();
      if (last.matches("\\d{1,12}") && !before.isEmpty()) {
        return new CallLine(before, Duration.ofMillis(Long.parseLong(last)));
      }
    }
    return new CallLine(t, defaultTimeout);
  }
}
