package dev.juggler.tools.load;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The args of a pub-sub load event: {@code {"p":publisher,"n":sequence,"t":nanoTime}}. */
record Sample(int p, long n, long t) {

  private static final Pattern P = field("p");
  private static final Pattern N = field("n");
  private static final Pattern T = field("t");

  // the server relays args as the exact text published, so the fields are found by name
  static Sample parse(String json) {
    return new Sample((int) value(P, json), value(N, json), value(T, json));
  }

  private static Pattern field(String name) {
    return Pattern.compile("\"" + name + "\"\\s*:\\s*(-?\\d+)");
  }

  private static long value(Pattern p, String json) {
    Matcher m = p.matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("not a load event: " + json);
    }
    return Long.parseLong(m.group(1));
  }
}
