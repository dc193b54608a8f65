package dev.juggler.web.security.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A Redis glob ({@code PSUBSCRIBE}'s syntax, as Redis' {@code stringmatchlen} reads it) compiled to
 * a sequence of tokens over UTF-8 bytes: {@code *} (any bytes), or a set of bytes that matches one
 * byte ({@code ?}, a literal, {@code [abc]}, {@code [^a-z]}, {@code \}-escaped bytes).
 *
 * <p>Only well-formed globs compile: an unterminated {@code [} class and a range with a non-ASCII
 * end (where Redis compares signed bytes) are refused rather than guessed at. On the channels
 * Juggler accepts (never empty) a compiled glob matches exactly what Redis matches. Immutable and
 * thread-safe; {@link GlobSets} decides containment and overlap of globs.
 */
public final class Glob {
  private final String text;
  // one entry per token: null for '*', else the bytes (0..255) that the token matches
  private final BitSet[] tokens;

  private Glob(String text, BitSet[] tokens) {
    this.text = text;
    this.tokens = tokens;
  }

  /**
   * Compiles a glob.
   *
   * @throws IllegalArgumentException when the glob is empty, has an unterminated class or a range
   *     with a non-ASCII end
   */
  public static Glob compile(String glob) {
    if (glob == null || glob.isEmpty()) {
      throw new IllegalArgumentException("a glob must not be empty");
    }
    byte[] p = glob.getBytes(StandardCharsets.UTF_8);
    int n = p.length;
    List<BitSet> tokens = new ArrayList<>();
    int i = 0;
    while (i < n) {
      switch (p[i]) {
        case '*' -> {
          if (tokens.isEmpty() || tokens.get(tokens.size() - 1) != null) {
            tokens.add(null);
          }
          i++;
        }
        case '?' -> {
          BitSet any = new BitSet(256);
          any.set(0, 256);
          tokens.add(any);
          i++;
        }
        case '[' -> i = compileClass(glob, p, i + 1, tokens);
        case '\\' -> {
          if (n - i >= 2) {
            i++;
          }
          tokens.add(single(p[i]));
          i++;
        }
        default -> {
          tokens.add(single(p[i]));
          i++;
        }
      }
    }
    return new Glob(glob, tokens.toArray(BitSet[]::new));
  }

  /** Reads a class after its '[', in the order of Redis' loop; returns the index after its ']'. */
  private static int compileClass(String glob, byte[] p, int i, List<BitSet> tokens) {
    int n = p.length;
    boolean not = i < n && p[i] == '^';
    if (not) {
      i++;
    }
    BitSet set = new BitSet(256);
    while (true) {
      if (i < n && p[i] == '\\' && n - i >= 2) {
        set.set(p[i + 1] & 0xff);
        i += 2;
      } else if (i < n && p[i] == ']') {
        i++;
        break;
      } else if (i >= n) {
        throw new IllegalArgumentException("unterminated [ class in " + glob);
      } else if (n - i >= 3 && p[i + 1] == '-') {
        int lo = p[i];
        int hi = p[i + 2];
        if (lo < 0 || hi < 0) {
          throw new IllegalArgumentException("a range with a non-ASCII end in " + glob);
        }
        set.set(Math.min(lo, hi), Math.max(lo, hi) + 1);
        i += 3;
      } else {
        set.set(p[i] & 0xff);
        i++;
      }
    }
    if (not) {
      set.flip(0, 256);
    }
    tokens.add(set);
    return i;
  }

  private static BitSet single(byte b) {
    BitSet s = new BitSet(256);
    s.set(b & 0xff);
    return s;
  }

  /** The glob as written. */
  public String text() {
    return text;
  }

  /** Whether a channel (or URI) matches, on its UTF-8 bytes. */
  public boolean matches(String name) {
    byte[] s = name.getBytes(StandardCharsets.UTF_8);
    if (s.length == 0) {
      return false; // Redis matches the empty string with the empty glob only, never compiled
    }
    BitSet states = closure(stateSet(0));
    for (byte b : s) {
      states = step(states, b & 0xff);
      if (states.isEmpty()) {
        return false;
      }
    }
    return states.get(accepting());
  }

  /**
   * Whether no channel at all matches: some token is a class that matches no byte, as in {@code
   * []x}. Such a pattern is of no use to a subscriber, yet Redis matches it against every published
   * channel all the same.
   */
  public boolean matchesNothing() {
    for (BitSet token : tokens) {
      if (token != null && token.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  // ---- the glob as a nondeterministic automaton: state i = before token i; accepting() = done
  // ----

  int accepting() {
    return tokens.length;
  }

  /** Whether token i is '*'. */
  boolean isStar(int i) {
    return i < tokens.length && tokens[i] == null;
  }

  /** The bytes token i matches; only for a token that is not '*'. */
  BitSet bytes(int i) {
    return tokens[i];
  }

  int size() {
    return tokens.length;
  }

  /** Adds the states reachable without reading: past every '*'. Modifies and returns {@code s}. */
  BitSet closure(BitSet s) {
    for (int i = s.nextSetBit(0); i >= 0; i = s.nextSetBit(i + 1)) {
      if (isStar(i)) {
        s.set(i + 1);
      }
    }
    return s;
  }

  /** The states after reading byte {@code b} from {@code states}, closed. */
  BitSet step(BitSet states, int b) {
    BitSet next = new BitSet(tokens.length + 1);
    for (int i = states.nextSetBit(0); i >= 0 && i < tokens.length; i = states.nextSetBit(i + 1)) {
      if (tokens[i] == null) {
        next.set(i);
      } else if (tokens[i].get(b)) {
        next.set(i + 1);
      }
    }
    return closure(next);
  }

  static BitSet stateSet(int state) {
    BitSet s = new BitSet();
    s.set(state);
    return s;
  }

  @Override
  public String toString() {
    return text;
  }
}
