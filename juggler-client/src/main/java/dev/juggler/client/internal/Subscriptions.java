package dev.juggler.client.internal;

import dev.juggler.client.EventListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The client's subscriptions, by channel or pattern, with their listeners. Thread-safe.
 *
 * <p>A subscription is added before its SUB is sent (an event may come before the ACK) and becomes
 * active on the ACK; only active subscriptions are sent again after a reconnect.
 */
public final class Subscriptions {

  /** A channel ({@code pattern == false}) or a glob pattern. */
  public record Key(String channel, boolean pattern) {}

  /** One subscription: its listener (replaced by a new subscribe) and whether it was ACKed. */
  public static final class Entry {
    private volatile EventListener listener;
    private volatile boolean active;

    Entry(EventListener listener) {
      this.listener = listener;
    }

    /** The current listener. */
    public EventListener listener() {
      return listener;
    }

    /** Marks it ACKed. */
    public void activate() {
      active = true;
    }
  }

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

  /** Adds the subscription, or gives an existing one the new listener. */
  public Entry put(Key key, EventListener listener) {
    return entries.compute(
        key,
        (k, old) -> {
          if (old == null) {
            return new Entry(listener);
          }
          old.listener = listener;
          return old;
        });
  }

  /** The subscription, or {@code null}. */
  public Entry get(Key key) {
    return entries.get(key);
  }

  /** Removes the subscription whatever its state. */
  public void remove(Key key) {
    entries.remove(key);
  }

  /** Removes it if it is still {@code entry} and was never ACKed. */
  public void removeIfInactive(Key key, Entry entry) {
    entries.computeIfPresent(key, (k, e) -> e == entry && !e.active ? null : e);
  }

  /** The active subscriptions' keys, to send again after a reconnect. */
  public List<Key> activeKeys() {
    return entries.entrySet().stream()
        .filter(e -> e.getValue().active)
        .map(Map.Entry::getKey)
        .collect(Collectors.toList());
  }
}
