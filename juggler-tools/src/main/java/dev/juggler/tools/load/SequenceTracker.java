package dev.juggler.tools.load;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one subscriber saw of the publishers' sequences ({@code 0, 1, 2, …} per publisher): events
 * that never arrived (lost), events that arrived after a later one of the same publisher
 * (reordered), and repeats. Not thread-safe: one per subscriber, fed from its delivery thread, read
 * after delivery stopped.
 */
public final class SequenceTracker {

  private final Map<Integer, Long> next = new HashMap<>();
  private final Map<Integer, TreeSet<Long>> missing = new HashMap<>();
  private long delivered;
  private long reordered;
  private long duplicated;

  /** Records the arrival of event {@code seq} of publisher {@code publisher}. */
  public void record(int publisher, long seq) {
    delivered++;
    long expected = next.getOrDefault(publisher, 0L);
    if (seq == expected) {
      next.put(publisher, seq + 1);
    } else if (seq > expected) {
      TreeSet<Long> gaps = missing.computeIfAbsent(publisher, p -> new TreeSet<>());
      for (long s = expected; s < seq; s++) {
        gaps.add(s);
      }
      next.put(publisher, seq + 1);
    } else if (missing.getOrDefault(publisher, new TreeSet<>()).remove(seq)) {
      reordered++;
    } else {
      duplicated++;
    }
  }

  /**
   * Events never seen, given how many each publisher sent in all ({@code sent.get(p)} events,
   * numbered from 0): the gaps plus the tail after the last one seen.
   */
  public long lost(Map<Integer, Long> sent) {
    long lost = 0;
    for (TreeSet<Long> gaps : missing.values()) {
      lost += gaps.size();
    }
    for (Map.Entry<Integer, Long> e : sent.entrySet()) {
      lost += Math.max(0, e.getValue() - next.getOrDefault(e.getKey(), 0L));
    }
    return lost;
  }

  public long delivered() {
    return delivered;
  }

  public long reordered() {
    return reordered;
  }

  public long duplicated() {
    return duplicated;
  }
}
