package dev.juggler.broker.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.GlobCases;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The matcher against the table whose answers {@code RedisGlobIT} checks with a real Redis. */
class RedisGlobTest {

  static List<GlobCases.Case> cases() {
    return Stream.concat(GlobCases.all().stream(), GlobCases.nestingLimit().stream()).toList();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesAsRedisDoes(GlobCases.Case c) {
    assertEquals(c.matches(), new RedisGlob(c.pattern()).matches(c.channel()), c.toString());
  }

  @Test
  void backtrackingPatternsStayFast() {
    String channel = "a".repeat(20_000);
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> assertFalse(new RedisGlob("a*a*a*a*a*a*a*a*a*a*a*a*b").matches(channel)));
  }

  @Test
  void deepPatternsMatchNothingInsteadOfOverflowingTheStack() {
    assertFalse(new RedisGlob("*a".repeat(100_000)).matches("a".repeat(100_000)));
    assertTrue(new RedisGlob("*".repeat(100_000)).matches("anything"));
  }
}
