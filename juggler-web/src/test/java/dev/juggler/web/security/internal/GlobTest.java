package dev.juggler.web.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.support.RedisGlob;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GlobTest {

  @Test
  void knowsWhenNoChannelCanMatch() {
    for (String nothing : new String[] {"[]", "[]x", "a*[]", "\\[[]", "[]]"}) {
      assertTrue(Glob.compile(nothing).matchesNothing(), nothing);
    }
    for (String some : new String[] {"*", "?", "[^]", "a[b]", "\\[\\]", "[\\]]"}) {
      assertFalse(Glob.compile(some).matchesNothing(), some);
    }
  }

  @Test
  void matchesAsRedisDoes() {
    assertTrue(Glob.compile("chat.*").matches("chat.room1"));
    assertTrue(Glob.compile("chat.*").matches("chat."));
    assertFalse(Glob.compile("chat.*").matches("chat"));
    assertTrue(Glob.compile("h?llo").matches("hello"));
    assertTrue(Glob.compile("h[ae]llo").matches("hallo"));
    assertFalse(Glob.compile("h[^e]llo").matches("hello"));
    assertTrue(Glob.compile("h[a-c]llo").matches("hbllo"));
    assertTrue(Glob.compile("h[c-a]llo").matches("hbllo")); // reversed range, as Redis swaps it
    assertTrue(Glob.compile("a\\*b").matches("a*b"));
    assertFalse(Glob.compile("a\\*b").matches("axb"));
    assertTrue(Glob.compile("[\\]]").matches("]"));
    assertFalse(Glob.compile("[]").matches("a")); // an empty class matches nothing
    assertTrue(Glob.compile("[^]").matches("a"));
    assertTrue(Glob.compile("x\\").matches("x\\")); // a trailing backslash is itself
    assertTrue(Glob.compile("??").matches("é")); // two UTF-8 bytes
    assertFalse(Glob.compile("?").matches("é"));
    assertFalse(Glob.compile("*").matches(""));
  }

  @Test
  void refusesWhatItCannotReadForSure() {
    assertThrows(IllegalArgumentException.class, () -> Glob.compile(""));
    assertThrows(IllegalArgumentException.class, () -> Glob.compile("chat.[ab"));
    assertThrows(IllegalArgumentException.class, () -> Glob.compile("[a-]"));
    assertThrows(IllegalArgumentException.class, () -> Glob.compile("[a-é]"));
  }

  /** The compiled automaton against a port of Redis' own matcher, on random globs and names. */
  @Test
  void agreesWithRedisOnRandomGlobs() {
    Random random = new Random(42);
    String[] parts = {"a", "b", ".", "*", "?", "[ab]", "[^a]", "[a-c]", "\\*", "*", "[\\]a]"};
    String letters = "ab.c*]";
    int checked = 0;
    for (int g = 0; g < 2000; g++) {
      StringBuilder glob = new StringBuilder();
      for (int i = random.nextInt(5) + 1; i > 0; i--) {
        glob.append(parts[random.nextInt(parts.length)]);
      }
      Glob compiled = Glob.compile(glob.toString());
      RedisGlob redis = new RedisGlob(glob.toString());
      for (int s = 0; s < 30; s++) {
        StringBuilder name = new StringBuilder();
        for (int i = random.nextInt(6) + 1; i > 0; i--) {
          name.append(letters.charAt(random.nextInt(letters.length())));
        }
        String n = name.toString();
        assertEquals(redis.matches(n), compiled.matches(n), () -> glob + " on " + n);
        checked++;
      }
    }
    assertEquals(60_000, checked);
  }
}
