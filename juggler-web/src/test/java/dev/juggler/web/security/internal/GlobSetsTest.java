package dev.juggler.web.security.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GlobSetsTest {

  private static boolean covers(String rule, String pattern) {
    return GlobSets.covers(List.of(Glob.compile(rule)), Glob.compile(pattern));
  }

  private static boolean overlaps(String a, String b) {
    return GlobSets.overlaps(Glob.compile(a), Glob.compile(b));
  }

  @Test
  void aRuleCoversPatternsWithinIt() {
    assertTrue(covers("chat.*", "chat.room?"));
    assertTrue(covers("chat.*", "chat.*"));
    assertTrue(covers("chat.*", "chat.[ab]*"));
    assertTrue(covers("chat.*", "chat.\\*"));
    assertTrue(covers("chat.*", "chat.*.x"));
    assertTrue(covers("chat.*", "chat.**"));
    assertTrue(covers("*", "*"));
    assertTrue(covers("*", "[^a]?x*"));
    assertTrue(covers("?*", "*")); // channels are never empty
    assertTrue(covers("chat.room[0-9]", "chat.room[1-3]"));
    assertTrue(covers("a*", "a"));
    assertTrue(covers("*.log", "app.*.log"));
    assertTrue(covers("chat.[^x]*", "chat.[ab]*"));
  }

  @Test
  void aRuleDoesNotCoverPatternsReachingOutside() {
    assertFalse(covers("chat.*", "*"));
    assertFalse(covers("chat.*", "ch*"));
    assertFalse(covers("chat.*", "chat"));
    assertFalse(covers("chat.*", "chat?*")); // chatX
    assertFalse(covers("chat.*", "[a-d]hat.*"));
    assertFalse(covers("chat.room?", "chat.room*")); // chat.room, chat.room12
    assertFalse(covers("chat.room[0-9]", "chat.room[0-z]"));
    assertFalse(covers("chat.[^x]*", "chat.*"));
    assertFalse(covers("a.b", "a?b"));
    assertFalse(covers("*.log", "*log"));
  }

  @Test
  void severalRulesTogetherCanCoverAPattern() {
    List<Glob> rules = List.of(Glob.compile("a.*"), Glob.compile("b.*"));
    assertTrue(GlobSets.covers(rules, Glob.compile("[ab].*")));
    assertFalse(GlobSets.covers(rules, Glob.compile("[abc].*")));
    assertFalse(GlobSets.covers(List.of(), Glob.compile("a")));
  }

  @Test
  void overlapIsSomeChannelOfBoth() {
    assertTrue(overlaps("private.*", "*"));
    assertTrue(overlaps("private.*", "p*e.x"));
    assertTrue(overlaps("*", "x"));
    assertFalse(overlaps("private.*", "public.*"));
    assertFalse(overlaps("a?", "a"));
    assertFalse(overlaps("[ab]", "[cd]"));
    assertTrue(overlaps("[ab]*", "*[cd]"));
  }

  /**
   * Soundness on random globs: when a pattern is said to be covered, no name up to 6 bytes over the
   * alphabet matches the pattern but not the rule; when it is said not to be, such a name exists
   * (globs this small have short witnesses). The same for overlaps.
   */
  @Test
  void agreesWithBruteForceOnRandomGlobs() {
    Random random = new Random(7);
    String[] parts = {"a", "b", ".", "*", "?", "[ab]", "[^a]", "*"};
    List<String> names = names("ab.c", 6);
    for (int k = 0; k < 400; k++) {
      String rule = glob(random, parts);
      String pattern = glob(random, parts);
      Glob r = Glob.compile(rule);
      Glob p = Glob.compile(pattern);
      boolean counterexample = false;
      boolean common = false;
      for (String n : names) {
        counterexample |= p.matches(n) && !r.matches(n);
        common |= p.matches(n) && r.matches(n);
      }
      String what = "rule " + rule + ", pattern " + pattern;
      if (GlobSets.covers(List.of(r), p)) {
        assertFalse(counterexample, what + ": covered, yet a name escapes");
      } else {
        assertTrue(counterexample, what + ": not covered, yet no name escapes");
      }
      assertTrue(GlobSets.overlaps(r, p) == common, what + ": overlap");
    }
  }

  private static String glob(Random random, String[] parts) {
    StringBuilder b = new StringBuilder();
    for (int i = random.nextInt(4) + 1; i > 0; i--) {
      b.append(parts[random.nextInt(parts.length)]);
    }
    return b.toString();
  }

  private static List<String> names(String alphabet, int maxLength) {
    List<String> all = new ArrayList<>();
    List<String> last = List.of("");
    for (int len = 1; len <= maxLength; len++) {
      List<String> next = new ArrayList<>();
      for (String s : last) {
        for (char c : alphabet.toCharArray()) {
          next.add(s + c);
        }
      }
      all.addAll(next);
      last = next;
    }
    return all;
  }

  @Test
  void longPatternsAreDecidedQuickly() {
    String rule = "*a".repeat(29);
    String pattern = "*a".repeat(30);
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertTrue(covers(rule, pattern)));
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(covers(pattern, rule)));
  }
}
