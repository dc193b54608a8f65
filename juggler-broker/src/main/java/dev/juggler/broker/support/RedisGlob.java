package dev.juggler.broker.support;

import java.nio.charset.StandardCharsets;

/**
 * A glob pattern with exactly the rules of Redis' {@code stringmatchlen} (its {@code util.c}), the
 * function behind {@code PSUBSCRIBE}: {@code *} any bytes, {@code ?} one byte, {@code [abc]} and
 * {@code [^abc]} byte classes with ranges {@code a-z} (reversed ranges swapped), {@code \} escaping
 * the next byte, inside a class too. Matching is on UTF-8 bytes, case-sensitive, and keeps Redis'
 * quirks: an unterminated class ends at the pattern's end, {@code *} does not match the empty
 * string, and a pattern that nests {@code *} more than 1,000 deep matches nothing.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisGlob {

  /** Redis' protection against abusive patterns: deeper {@code *} recursion matches nothing. */
  private static final int MAX_NESTING = 1_000;

  private final String pattern;
  private final byte[] bytes;

  public RedisGlob(String pattern) {
    this.pattern = pattern;
    this.bytes = pattern.getBytes(StandardCharsets.UTF_8);
  }

  public String pattern() {
    return pattern;
  }

  /** Whether {@code channel} matches, as PSUBSCRIBE would judge it. */
  public boolean matches(String channel) {
    return matches(channel.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether the UTF-8 bytes of a channel match. */
  public boolean matches(byte[] channel) {
    return new Matcher(bytes, channel).match(0, bytes.length, 0, channel.length, 0);
  }

  /**
   * One run of the C function, with indexes for its pointers. Reading at or past a length gives 0,
   * as C reads the string's terminating NUL there.
   */
  private static final class Matcher {
    private final byte[] p;
    private final byte[] s;
    private boolean skipLongerMatches;

    Matcher(byte[] p, byte[] s) {
      this.p = p;
      this.s = s;
    }

    private int pAt(int i) {
      return i < p.length ? p[i] : 0;
    }

    private int sAt(int i) {
      return i < s.length ? s[i] : 0;
    }

    boolean match(int pi, int pLen, int si, int sLen, int nesting) {
      if (nesting > MAX_NESTING) {
        return false;
      }
      while (pLen > 0 && sLen > 0) {
        switch (p[pi]) {
          case '*':
            while (pLen > 0 && pAt(pi + 1) == '*') {
              pi++;
              pLen--;
            }
            if (pLen == 1) {
              return true;
            }
            while (sLen > 0) {
              if (match(pi + 1, pLen - 1, si, sLen, nesting + 1)) {
                return true;
              }
              if (skipLongerMatches) {
                return false;
              }
              si++;
              sLen--;
            }
            // The rest matched nowhere: an earlier '*' taking more cannot help either.
            skipLongerMatches = true;
            return false;
          case '?':
            si++;
            sLen--;
            break;
          case '[':
            {
              pi++;
              pLen--;
              boolean not = pAt(pi) == '^';
              if (not) {
                pi++;
                pLen--;
              }
              boolean match = false;
              while (true) {
                if (pAt(pi) == '\\' && pLen >= 2) {
                  pi++;
                  pLen--;
                  if (pAt(pi) == sAt(si)) {
                    match = true;
                  }
                } else if (pAt(pi) == ']') {
                  break;
                } else if (pLen == 0) {
                  pi--;
                  pLen++;
                  break;
                } else if (pLen >= 3 && pAt(pi + 1) == '-') {
                  int start = pAt(pi);
                  int end = pAt(pi + 2);
                  int c = sAt(si);
                  if (start > end) {
                    int t = start;
                    start = end;
                    end = t;
                  }
                  pi += 2;
                  pLen -= 2;
                  if (c >= start && c <= end) {
                    match = true;
                  }
                } else if (pAt(pi) == sAt(si)) {
                  match = true;
                }
                pi++;
                pLen--;
              }
              if (not) {
                match = !match;
              }
              if (!match) {
                return false;
              }
              si++;
              sLen--;
              break;
            }
          case '\\':
            if (pLen >= 2) {
              pi++;
              pLen--;
            }
            if (pAt(pi) != sAt(si)) {
              return false;
            }
            si++;
            sLen--;
            break;
          default:
            if (pAt(pi) != sAt(si)) {
              return false;
            }
            si++;
            sLen--;
            break;
        }
        pi++;
        pLen--;
        if (sLen == 0) {
          while (pAt(pi) == '*') {
            pi++;
            pLen--;
          }
          break;
        }
      }
      return pLen == 0 && sLen == 0;
    }
  }
}
