package dev.juggler.web.security.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Questions about the sets of channels that globs match, answered exactly on their automata (so on
 * UTF-8 bytes, as Redis matches), over non-empty channels:
 *
 * <ul>
 *   <li>{@link #covers}: does every channel a pattern matches match one of some globs? A pattern
 *       subscription is allowed only then.
 *   <li>{@link #overlaps}: is there a channel that both globs match? A pattern subscription touches
 *       a protected glob then.
 * </ul>
 *
 * <p>Both explore the product of the automata breadth first, over the classes of bytes that no
 * token tells apart. Containment determinizes the covering side on the fly; when that would take
 * more than {@link #MAX_STATES} states the answer is the safe one: not covered.
 */
public final class GlobSets {
  /** Above this many explored states {@link #covers} gives up and answers false. */
  static final int MAX_STATES = 20_000;

  private GlobSets() {}

  /**
   * Whether every non-empty channel that {@code pattern} matches is matched by some of {@code
   * globs}.
   */
  public static boolean covers(List<Glob> globs, Glob pattern) {
    if (globs.isEmpty()) {
      return false;
    }
    Union union = new Union(globs);
    int[] alphabet = alphabet(union.globs, pattern);
    record State(int p, BitSet r, boolean read) {}
    Deque<State> queue = new ArrayDeque<>();
    Set<State> seen = new HashSet<>();
    BitSet start = union.start();
    BitSet p0 = pattern.closure(Glob.stateSet(0));
    for (int p = p0.nextSetBit(0); p >= 0; p = p0.nextSetBit(p + 1)) {
      State s = new State(p, start, false);
      if (seen.add(s)) {
        queue.add(s);
      }
    }
    while (!queue.isEmpty()) {
      State s = queue.poll();
      if (s.read && s.p == pattern.accepting() && !union.accepts(s.r)) {
        return false; // a channel of the pattern that no glob matches
      }
      if (s.p == pattern.accepting()) {
        continue; // nothing more to read on the pattern's side
      }
      for (int b : alphabet) {
        BitSet next = pattern.step(Glob.stateSet(s.p), b);
        if (next.isEmpty()) {
          continue;
        }
        BitSet r = union.step(s.r, b);
        for (int p = next.nextSetBit(0); p >= 0; p = next.nextSetBit(p + 1)) {
          State t = new State(p, r, true);
          if (seen.add(t)) {
            if (seen.size() > MAX_STATES) {
              return false; // too costly to decide: deny
            }
            queue.add(t);
          }
        }
      }
    }
    return true;
  }

  /** Whether some non-empty channel matches both globs. */
  public static boolean overlaps(Glob a, Glob b) {
    int[] alphabet = alphabet(List.of(a), b);
    int width = b.accepting() + 1;
    BitSet seen = new BitSet();
    Deque<int[]> queue = new ArrayDeque<>();
    BitSet a0 = a.closure(Glob.stateSet(0));
    BitSet b0 = b.closure(Glob.stateSet(0));
    for (int i = a0.nextSetBit(0); i >= 0; i = a0.nextSetBit(i + 1)) {
      for (int j = b0.nextSetBit(0); j >= 0; j = b0.nextSetBit(j + 1)) {
        queue.add(new int[] {i, j});
      }
    }
    while (!queue.isEmpty()) {
      int[] s = queue.poll();
      for (int c : alphabet) {
        BitSet na = a.step(Glob.stateSet(s[0]), c);
        BitSet nb = b.step(Glob.stateSet(s[1]), c);
        for (int i = na.nextSetBit(0); i >= 0; i = na.nextSetBit(i + 1)) {
          for (int j = nb.nextSetBit(0); j >= 0; j = nb.nextSetBit(j + 1)) {
            if (i == a.accepting() && j == b.accepting()) {
              return true;
            }
            if (!seen.get(i * width + j)) {
              seen.set(i * width + j);
              queue.add(new int[] {i, j});
            }
          }
        }
      }
    }
    return false;
  }

  /** One byte of each class of bytes that every token of these globs treats alike. */
  private static int[] alphabet(List<Glob> globs, Glob pattern) {
    List<BitSet> sets = new ArrayList<>();
    List<Glob> all = new ArrayList<>(globs);
    all.add(pattern);
    for (Glob g : all) {
      for (int i = 0; i < g.size(); i++) {
        if (!g.isStar(i)) {
          sets.add(g.bytes(i));
        }
      }
    }
    Map<BitSet, Integer> classes = new HashMap<>();
    for (int b = 0; b < 256; b++) {
      BitSet signature = new BitSet(sets.size());
      for (int k = 0; k < sets.size(); k++) {
        if (sets.get(k).get(b)) {
          signature.set(k);
        }
      }
      classes.putIfAbsent(signature, b);
    }
    return classes.values().stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  /** Several globs as one automaton: the states of glob k are numbered from {@code offset[k]}. */
  private static final class Union {
    final List<Glob> globs;
    final int[] offset;
    final int[] owner;

    Union(List<Glob> globs) {
      this.globs = globs;
      offset = new int[globs.size()];
      int n = 0;
      for (int k = 0; k < globs.size(); k++) {
        offset[k] = n;
        n += globs.get(k).accepting() + 1;
      }
      owner = new int[n];
      for (int k = 0; k < globs.size(); k++) {
        for (int i = 0; i <= globs.get(k).accepting(); i++) {
          owner[offset[k] + i] = k;
        }
      }
    }

    BitSet start() {
      BitSet s = new BitSet(owner.length);
      for (int k = 0; k < globs.size(); k++) {
        BitSet local = globs.get(k).closure(Glob.stateSet(0));
        for (int i = local.nextSetBit(0); i >= 0; i = local.nextSetBit(i + 1)) {
          s.set(offset[k] + i);
        }
      }
      return s;
    }

    BitSet step(BitSet states, int b) {
      BitSet next = new BitSet(owner.length);
      for (int s = states.nextSetBit(0); s >= 0; s = states.nextSetBit(s + 1)) {
        int k = owner[s];
        Glob g = globs.get(k);
        BitSet local = g.step(Glob.stateSet(s - offset[k]), b);
        for (int i = local.nextSetBit(0); i >= 0; i = local.nextSetBit(i + 1)) {
          next.set(offset[k] + i);
        }
      }
      return next;
    }

    boolean accepts(BitSet states) {
      for (int k = 0; k < globs.size(); k++) {
        if (states.get(offset[k] + globs.get(k).accepting())) {
          return true;
        }
      }
      return false;
    }
  }
}
