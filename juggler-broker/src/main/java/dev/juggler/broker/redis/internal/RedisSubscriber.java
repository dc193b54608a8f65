package dev.juggler.broker.redis.internal;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.EventSink;
import dev.juggler.broker.Subscriber;
import dev.juggler.protocol.message.Evnt;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection's subscriptions on the node's shared pub-sub connection. Thread-safe; events reach
 * its listener on the pub-sub thread.
 */
final class RedisSubscriber implements Subscriber {

  private static final Logger LOG = Logger.getLogger(RedisSubscriber.class.getName());

  /** This subscriber's topics; changed only under the {@link NodeSubscriptions} lock. */
  final Set<Topic.Key> topics = ConcurrentHashMap.newKeySet();

  private final PubSub pubSub;
  private final EventSink listener;
  private volatile boolean closed;

  RedisSubscriber(PubSub pubSub, EventSink listener) {
    this.pubSub = pubSub;
    this.listener = listener;
  }

  @Override
  public void subscribe(String channel, boolean pattern) throws BrokerException {
    Topic.Key key = new Topic.Key(Objects.requireNonNull(channel, "channel"), pattern);
    NodeSubscriptions.Added added = pubSub.add(this, key);
    try {
      await(added.confirmed());
    } catch (BrokerException e) {
      pubSub.stats().failed(e);
      if (added.isNew()) {
        pubSub.subscriptions().remove(this, key); // the SUB is NACKed: it must have no effect
      }
      throw e;
    }
  }

  private void await(CompletableFuture<Void> confirmed) throws BrokerException {
    try {
      confirmed.get(pubSub.timeoutMs(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pubSub.unconfirmed(); // the next SUBs fail at once instead of each waiting as long
      throw BrokerException.unavailable(e);
    } catch (ExecutionException e) {
      throw BrokerException.unavailable(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BrokerException.unavailable(e);
    }
  }

  @Override
  public void unsubscribe(String channel, boolean pattern) {
    pubSub.subscriptions().remove(this, new Topic.Key(channel, pattern));
  }

  @Override
  public void close() {
    closed = true;
    pubSub.subscriptions().removeAll(this);
  }

  boolean isClosed() {
    return closed;
  }

  /** Called on the pub-sub thread. */
  void deliver(Evnt evnt) {
    if (closed) {
      return;
    }
    pubSub.stats().event();
    try {
      listener.onEvent(evnt);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "event listener failed on channel " + evnt.channel(), e);
    }
  }
}
