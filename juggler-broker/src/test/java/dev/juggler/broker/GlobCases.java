package dev.juggler.broker;

import java.util.List;
import java.util.stream.Stream;

/**
 * Pattern and channel pairs with whether Redis matches them (PSUBSCRIBE, then PUBLISH). Every
 * expectation is checked against a real Redis by {@code RedisGlobIT}; the in-process matcher and
 * the broker contract are tested against the same table.
 */
public final class GlobCases {

  /** One pair; {@code matches} is what Redis answers. */
  public record Case(String pattern, String channel, boolean matches) {
    @Override
    public String toString() {
      return "'" + pattern + "' " + (matches ? "matches" : "does not match") + " '" + channel + "'";
    }
  }

  private GlobCases() {}

  private static Case yes(String pattern, String channel) {
    return new Case(pattern, channel, true);
  }

  private static Case no(String pattern, String channel) {
    return new Case(pattern, channel, false);
  }

  /** Common patterns: what clients write. */
  public static List<Case> common() {
    return List.of(
        yes("news.*", "news.sports"),
        yes("news.*", "news."),
        no("news.*", "news"),
        no("news.*", "weather.news.x"),
        yes("*", "anything"),
        yes("h?llo", "hello"),
        yes("h?llo", "hallo"),
        no("h?llo", "hllo"),
        yes("h*llo", "hllo"),
        yes("h*llo", "heeeello"),
        yes("h[ae]llo", "hello"),
        no("h[ae]llo", "hillo"),
        yes("h[^e]llo", "hallo"),
        no("h[^e]llo", "hello"),
        yes("h[a-b]llo", "hbllo"),
        no("h[a-b]llo", "hcllo"),
        yes("news", "news"),
        no("news", "news2"),
        yes("a*b*c", "aXbYc"),
        no("a*b*c", "aXbY"));
  }

  /** Escapes, unusual classes and bytes: Redis' exact rules. */
  public static List<Case> edges() {
    return List.of(
        yes("h\\*llo", "h*llo"),
        no("h\\*llo", "hello"),
        yes("h\\?", "h?"),
        no("h\\?", "hx"),
        yes("a\\", "a\\"),
        yes("a[\\]]b", "a]b"),
        yes("a[\\-]b", "a-b"),
        no("a[\\-]b", "a\\b"),
        yes("[z-a]", "m"),
        yes("[a-]", "]"),
        yes("[a-]", "_"),
        no("[a-]", "b"),
        no("[a-]", "-"),
        yes("[abc", "a"),
        no("[abc", "d"),
        yes("a[^", "ab"),
        no("a[", "ab"),
        no("[]a]", "a"),
        no("[]a]", "]"),
        yes("[!a]", "!"),
        no("[!a]", "b"),
        no("*", ""),
        yes("a*", "a"),
        yes("a**", "a"),
        yes("**b", "ab"),
        no("?", "é"),
        yes("??", "é"),
        yes("caf?", "cafe"),
        yes("*é", "café"),
        no("[é]", "é"),
        yes("[é]?", "é"),
        yes("a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"),
        no("a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        yes("*a".repeat(1_000), "a".repeat(1_000)));
  }

  /**
   * Redis 7 gives up on a pattern nested more than 1,000 {@code *} deep (no match), as the matcher
   * does; the Redis 6.2 binary of the embedded fallback still matches it. So this case is the
   * matcher's alone, not part of {@link #all()}, which every Redis version must agree with.
   */
  public static List<Case> nestingLimit() {
    return List.of(no("*a".repeat(1_001), "a".repeat(1_001)));
  }

  public static List<Case> all() {
    return Stream.concat(common().stream(), edges().stream()).toList();
  }
}
