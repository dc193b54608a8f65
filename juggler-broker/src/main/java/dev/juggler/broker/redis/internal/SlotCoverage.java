package dev.juggler.broker.redis.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which call lists of a cluster have a taking thread blocked on them (in BLPOP), so that idle
 * takers spread over the slot groups of their URIs instead of all waiting on the same one: a taker
 * claims a group nobody waits on, and when every group is waited on it waits here, holding no
 * connection, until one is released. Thread-safe.
 *
 * <p>A group is covered when each of its keys has a taker blocked on it. The lists of a covered
 * group need no sweep: its blocker returns as soon as one of them gets a call.
 */
final class SlotCoverage {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();

  /** Takers blocked on each key; keys nobody waits on are absent. Guarded by {@link #lock}. */
  private final Map<String, Integer> blocked = new HashMap<>();

  /**
   * Claims the first group, from {@code start} on in a circular order, that nobody waits on; while
   * all of them are waited on, waits for a release until {@code end} ({@link System#nanoTime()}).
   *
   * @return the index of the group claimed, to be given back to {@link #release}; -1 when {@code
   *     end} passed or the thread was interrupted (its flag set again), with nothing claimed
   */
  int claim(List<List<String>> groups, int start, long end) {
    lock.lock();
    try {
      while (true) {
        for (int i = 0; i < groups.size(); i++) {
          int index = (start + i) % groups.size();
          if (!covered(groups.get(index))) {
            groups.get(index).forEach(key -> blocked.merge(key, 1, Integer::sum));
            return index;
          }
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          return -1;
        }
        released.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } finally {
      lock.unlock();
    }
  }

  /** Gives a claimed group back and wakes the takers waiting here, so that one may claim it. */
  void release(List<String> group) {
    lock.lock();
    try {
      group.forEach(key -> blocked.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1));
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The groups, in order, that nobody waits on now; {@code except} left out. */
  List<List<String>> uncovered(List<List<String>> groups, List<String> except) {
    List<List<String>> out = new ArrayList<>(groups.size());
    lock.lock();
    try {
      for (List<String> group : groups) {
        if (group != except && !covered(group)) {
          out.add(group);
        }
      }
    } finally {
      lock.unlock();
    }
    return out;
  }

  private boolean covered(List<String> group) {
    for (String key : group) {
      if (!blocked.containsKey(key)) {
        return false;
      }
    }
    return true;
  }
}
