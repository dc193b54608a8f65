package dev.juggler.broker.redis.internal;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.BrokerStats;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.MsgIds;
import dev.juggler.protocol.message.RawJson;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.JedisPubSub;

/**
 * The node's reference-counted subscriptions: the first local subscriber of a channel or pattern
 * subscribes the node's one pub-sub connection, the last one to leave unsubscribes it.
 *
 * <p>Thread-safe. Changes, and every command written to the pub-sub connection, happen under one
 * lock, so that what Redis is subscribed to always follows the local table; event dispatch reads
 * the table without it.
 *
 * <p>Redis confirms each SUBSCRIBE and PSUBSCRIBE in order, one reply per name, so the futures
 * waiting for confirmations are queued per name and completed in order.
 */
final class NodeSubscriptions {

  private static final Logger LOG = Logger.getLogger(NodeSubscriptions.class.getName());

  /** Most names per re-subscription command, to keep commands of reasonable size. */
  private static final int RESUBSCRIBE_BATCH = 1_000;

  private final BrokerStats stats;
  private final Object lock = new Object();
  private final Map<Topic.Key, Topic> topics = new ConcurrentHashMap<>();

  /** The pattern topics among {@link #topics}, so that a PUB need not look at every channel. */
  private final Set<Topic> patternTopics = ConcurrentHashMap.newKeySet();

  /** This node's PUBs waiting for their event to come back on the pub-sub connection. */
  private final Map<UUID, CompletableFuture<Void>> echoes = new ConcurrentHashMap<>();

  /** Confirmations still to come on the current connection. Guarded by {@link #lock}. */
  private final Map<Topic.Key, ArrayDeque<CompletableFuture<Void>>> awaiting = new HashMap<>();

  /** The connection while it is in subscribed mode, else {@code null}. Guarded by the lock. */
  private JedisPubSub connection;

  /** Connections and disconnections so far; guarded by the lock. */
  private int sessions;

  private volatile boolean restoring;

  NodeSubscriptions(BrokerStats stats) {
    this.stats = stats;
  }

  /** What {@link #add} did. */
  record Added(CompletableFuture<Void> confirmed, boolean isNew) {}

  /**
   * Adds {@code subscriber} to a topic, subscribing Redis when it is the topic's first one.
   *
   * @throws IllegalStateException when the subscriber is closed
   */
  Added add(RedisSubscriber subscriber, Topic.Key key) {
    synchronized (lock) {
      // Checked under the lock: a close() racing with this add either sees the subscription and
      // removes it, or this sees the close.
      if (subscriber.isClosed()) {
        throw new IllegalStateException("subscriber closed");
      }
      Topic topic = topics.get(key);
      if (topic == null) {
        topic = new Topic(key);
        topics.put(key, topic);
        if (key.pattern()) {
          patternTopics.add(topic);
        }
        if (connection != null) {
          send(key, true, topic.confirmed);
        }
      }
      boolean isNew = topic.subscribers.add(subscriber);
      if (isNew) {
        subscriber.topics.add(key);
      }
      return new Added(topic.confirmed, isNew);
    }
  }

  /** Removes {@code subscriber} from a topic, unsubscribing Redis when it was the last one. */
  void remove(RedisSubscriber subscriber, Topic.Key key) {
    synchronized (lock) {
      subscriber.topics.remove(key);
      Topic topic = topics.get(key);
      if (topic != null && topic.subscribers.remove(subscriber) && topic.subscribers.isEmpty()) {
        topics.remove(key);
        patternTopics.remove(topic);
        if (connection != null) {
          send(key, false, null);
        }
      }
    }
  }

  /** Removes all of {@code subscriber}'s subscriptions. */
  void removeAll(RedisSubscriber subscriber) {
    synchronized (lock) {
      for (Topic.Key key : List.copyOf(subscriber.topics)) {
        remove(subscriber, key);
      }
    }
  }

  /**
   * Whether the node lost its subscriptions (the pub-sub connection broke while it had topics) and
   * has not yet got them all confirmed again. Meanwhile events published by anyone would miss this
   * node's subscribers, so its own PUBs are refused rather than ACKed and lost.
   */
  boolean restoring() {
    return restoring;
  }

  /**
   * Starts waiting for the event of this node's PUB {@code pubUuid} on {@code channel} to come back
   * on the pub-sub connection, when a subscription Redis confirmed there (of the channel, or of a
   * pattern matching it) will bring it back; {@code null} when none will, since then no subscriber
   * of this node can miss it. The future completes once the event is back on the connection (its
   * thread hands it to the local subscribers next), and fails when the connection is lost first;
   * {@link #forgetEcho} ends the wait.
   */
  CompletableFuture<Void> expectEcho(String channel, UUID pubUuid) {
    if (!receives(channel)) {
      return null;
    }
    CompletableFuture<Void> echo = new CompletableFuture<>();
    echoes.put(pubUuid, echo);
    return echo;
  }

  void forgetEcho(UUID pubUuid) {
    echoes.remove(pubUuid);
  }

  private boolean receives(String channel) {
    Topic exact = topics.get(new Topic.Key(channel, false));
    if (exact != null && exact.isConfirmed()) {
      return true;
    }
    for (Topic pattern : patternTopics) {
      if (pattern.isConfirmed() && pattern.glob.matches(channel)) {
        return true;
      }
    }
    return false;
  }

  /** The pub-sub connection is in subscribed mode: subscribe it to every topic. */
  void connected(JedisPubSub pubSub) {
    synchronized (lock) {
      connection = pubSub;
      awaiting.clear();
      int session = ++sessions;
      List<CompletableFuture<Void>> all = new ArrayList<>();
      resubscribe(false, all);
      resubscribe(true, all);
      if (all.isEmpty()) {
        restoring = false;
        return;
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .whenComplete(
              (v, e) -> {
                synchronized (lock) {
                  if (e == null && session == sessions) {
                    restoring = false;
                  }
                }
              });
    }
  }

  /**
   * Sends a PING on the pub-sub connection, if it is in subscribed mode (Redis answers a pong);
   * returns whether it did.
   */
  boolean ping() {
    synchronized (lock) {
      if (connection == null) {
        return false;
      }
      connection.ping();
      return true;
    }
  }

  /** The pub-sub connection is gone: nothing is subscribed until the next one. */
  void disconnected() {
    synchronized (lock) {
      sessions++;
      connection = null;
      if (!topics.isEmpty()) {
        restoring = true;
      }
      awaiting.clear();
      for (Topic topic : topics.values()) {
        if (topic.confirmed.isDone()) {
          // New subscribers must wait for the next connection's confirmation.
          topic.confirmed = new CompletableFuture<>();
        }
      }
    }
    // After restoring is set: a PUB that registered its echo before fails here, one after is
    // refused by PubSub.publish.
    failEchoes("the pub-sub connection was lost");
  }

  /** Fails every wait for a confirmation; the broker is closing. */
  void failAll() {
    failEchoes("the broker closed");
    synchronized (lock) {
      BrokerException closed = BrokerException.unavailable(new IllegalStateException("closed"));
      topics.values().forEach(t -> t.confirmed.completeExceptionally(closed));
    }
  }

  /** Redis confirmed a SUBSCRIBE (or PSUBSCRIBE) of {@code redisName}. */
  void confirmed(String redisName, boolean pattern) {
    String name = Keys.clientChannel(redisName);
    if (name == null) {
      return;
    }
    Topic.Key key = new Topic.Key(name, pattern);
    CompletableFuture<Void> future;
    synchronized (lock) {
      ArrayDeque<CompletableFuture<Void>> queue = awaiting.get(key);
      future = queue == null ? null : queue.poll();
      if (queue != null && queue.isEmpty()) {
        awaiting.remove(key);
      }
    }
    if (future != null) {
      future.complete(null);
    }
  }

  /** Hands a message to the subscribers of its channel, or of the pattern that matched it. */
  void dispatch(String redisChannel, String redisPattern, String message) {
    String channel = Keys.clientChannel(redisChannel);
    String pattern = redisPattern == null ? null : Keys.clientChannel(redisPattern);
    if (channel == null || (redisPattern != null && pattern == null)) {
      return;
    }
    Topic topic = topics.get(new Topic.Key(pattern == null ? channel : pattern, pattern != null));
    if (topic == null && echoes.isEmpty()) {
      return;
    }
    Entries.EventEntry event;
    try {
      event = Entries.parseEvent(message);
    } catch (IllegalArgumentException e) {
      stats.payloadDecodeFailure();
      LOG.log(Level.WARNING, "dropped a malformed event on " + redisChannel, e);
      return;
    }
    if (!echoes.isEmpty()) {
      // back on this connection: this thread hands it to the local subscribers next, in order
      CompletableFuture<Void> echo = echoes.remove(event.pubUuid());
      if (echo != null) {
        echo.complete(null);
      }
    }
    if (topic == null) {
      return;
    }
    RawJson args = new RawJson(event.args());
    for (RedisSubscriber subscriber : topic.subscribers) {
      subscriber.deliver(new Evnt(MsgIds.next(), event.pubUuid(), channel, pattern, args));
    }
  }

  private void failEchoes(String why) {
    for (UUID pubUuid : echoes.keySet()) {
      CompletableFuture<Void> echo = echoes.remove(pubUuid);
      if (echo != null) {
        echo.completeExceptionally(new IllegalStateException(why));
      }
    }
  }

  private void resubscribe(boolean patterns, List<CompletableFuture<Void>> all) {
    List<Topic.Key> batch = new ArrayList<>();
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    for (Topic topic : topics.values()) {
      if (topic.key.pattern() == patterns) {
        batch.add(topic.key);
        futures.add(topic.confirmed);
        all.add(topic.confirmed);
        if (batch.size() == RESUBSCRIBE_BATCH) {
          sendAll(batch, patterns, futures);
          batch.clear();
          futures.clear();
        }
      }
    }
    if (!batch.isEmpty()) {
      sendAll(batch, patterns, futures);
    }
  }

  private void send(Topic.Key key, boolean subscribe, CompletableFuture<Void> confirmed) {
    if (subscribe) {
      sendAll(List.of(key), key.pattern(), List.of(confirmed));
      return;
    }
    try {
      if (key.pattern()) {
        connection.punsubscribe(key.redisName());
      } else {
        connection.unsubscribe(key.redisName());
      }
    } catch (RuntimeException e) {
      // The loop sees the broken connection too; the next one will not have this topic.
      LOG.log(Level.FINE, "could not unsubscribe " + key, e);
    }
  }

  private void sendAll(
      List<Topic.Key> keys, boolean patterns, List<CompletableFuture<Void>> confirmations) {
    String[] names = new String[keys.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = keys.get(i).redisName();
      awaiting.computeIfAbsent(keys.get(i), k -> new ArrayDeque<>()).add(confirmations.get(i));
    }
    try {
      if (patterns) {
        connection.psubscribe(names);
      } else {
        connection.subscribe(names);
      }
    } catch (RuntimeException e) {
      // The loop sees the broken connection too and subscribes again on the next one; until then
      // the waiting subscribers wait, up to their timeout.
      LOG.log(Level.FINE, "could not subscribe " + keys.size() + " topics", e);
    }
  }
}
