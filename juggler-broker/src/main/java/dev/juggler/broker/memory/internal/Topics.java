package dev.juggler.broker.memory.internal;

import dev.juggler.broker.support.RedisGlob;
import dev.juggler.protocol.message.RawJson;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Every subscription of a store: channels and patterns, each with its subscribers.
 *
 * <p>Thread-safe. One lock guards the table, and a publication hands its event to every matching
 * subscriber's dispatcher under that lock, so that all subscribers see publications in one order,
 * the order of {@link #publish} calls. As in Redis, a channel's own subscribers come first, then
 * those of each matching pattern, and a subscriber of both gets the event once per subscription.
 */
public final class Topics {

  /** A channel or pattern, as the client named it. */
  record Key(String name, boolean pattern) {}

  private final Object lock = new Object();

  /** Guarded by the lock. */
  private final Map<String, Set<MemorySubscriber>> channels = new HashMap<>();

  /** Guarded by the lock; in the order patterns were first subscribed. */
  private final Map<String, PatternTopic> patterns = new LinkedHashMap<>();

  private static final class PatternTopic {
    final RedisGlob glob;
    final Set<MemorySubscriber> subscribers = new LinkedHashSet<>();

    PatternTopic(String pattern) {
      this.glob = new RedisGlob(pattern);
    }
  }

  /** Hands an event to the subscribers of {@code channel} and of every pattern matching it. */
  public void publish(String channel, UUID pubUuid, RawJson args) {
    byte[] bytes = channel.getBytes(StandardCharsets.UTF_8);
    synchronized (lock) {
      Set<MemorySubscriber> direct = channels.get(channel);
      if (direct != null) {
        Key key = new Key(channel, false);
        direct.forEach(s -> s.enqueue(key, pubUuid, channel, args));
      }
      for (PatternTopic topic : patterns.values()) {
        if (matches(topic.glob, channel, bytes)) {
          Key key = new Key(topic.glob.pattern(), true);
          topic.subscribers.forEach(s -> s.enqueue(key, pubUuid, channel, args));
        }
      }
    }
  }

  /**
   * Whether the Redis broker's node would get the event. It matches prefixed names ({@code
   * juggler:ch:<pattern>} against {@code juggler:ch:<channel>}), which differs from the bare
   * pattern only for the empty channel: once the prefix is consumed, trailing stars match nothing.
   */
  private static boolean matches(RedisGlob glob, String channel, byte[] bytes) {
    if (channel.isEmpty()) {
      return glob.pattern().chars().allMatch(c -> c == '*');
    }
    return glob.matches(bytes);
  }

  /** Adds a subscription; true when the subscriber did not have it. */
  boolean add(MemorySubscriber subscriber, Key key) {
    synchronized (lock) {
      if (subscriber.isClosed()) {
        throw new IllegalStateException("subscriber closed");
      }
      Set<MemorySubscriber> set =
          key.pattern()
              ? patterns.computeIfAbsent(key.name(), PatternTopic::new).subscribers
              : channels.computeIfAbsent(key.name(), k -> new LinkedHashSet<>());
      subscriber.keys.add(key);
      return set.add(subscriber);
    }
  }

  /** Removes a subscription; removing one that does not exist does nothing. */
  void remove(MemorySubscriber subscriber, Key key) {
    synchronized (lock) {
      subscriber.keys.remove(key);
      if (key.pattern()) {
        PatternTopic topic = patterns.get(key.name());
        if (topic != null && topic.subscribers.remove(subscriber) && topic.subscribers.isEmpty()) {
          patterns.remove(key.name());
        }
      } else {
        Set<MemorySubscriber> set = channels.get(key.name());
        if (set != null && set.remove(subscriber) && set.isEmpty()) {
          channels.remove(key.name());
        }
      }
    }
  }

  /** Closes {@code subscriber} and removes all of its subscriptions. */
  void removeAll(MemorySubscriber subscriber) {
    synchronized (lock) {
      subscriber.markClosed();
      for (Key key : List.copyOf(subscriber.keys)) {
        remove(subscriber, key);
      }
    }
  }

  /** Channels and patterns with at least one subscriber. */
  public int size() {
    synchronized (lock) {
      return channels.size() + patterns.size();
    }
  }
}
