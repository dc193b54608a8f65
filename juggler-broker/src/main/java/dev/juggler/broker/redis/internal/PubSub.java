package dev.juggler.broker.redis.internal;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.EventSink;
import dev.juggler.broker.Subscriber;
import dev.juggler.broker.support.NamedThreads;
import dev.juggler.protocol.message.RawJson;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Publishing on pooled connections, and subscribing through the node's one pub-sub connection.
 *
 * <p>Thread-safe. The pub-sub connection and its thread start on the first subscription; on a
 * cluster it goes to any node, since every node receives every message published on any of them.
 * The connection first subscribes to the node's private channel, so that it is in subscribed mode
 * (and its loop runs) even with no topic; each time it (re)connects every current topic is
 * subscribed again. Events are dispatched on the pub-sub thread in the order Redis sends them.
 *
 * <p>A subscribed connection has no read timeout: a connection that goes silent without breaking (a
 * Redis that stalls, a network that drops packets without a reset) would otherwise go unnoticed for
 * good, its events lost. A watch thread pings the connection once it has been quiet for half the
 * command timeout, and closes it when the ping gets no answer within the timeout, as when a
 * subscription is not confirmed in time; the loop then reconnects and subscribes again, with PUBs
 * refused meanwhile (see {@link NodeSubscriptions#restoring()}). While the connection is down, SUBs
 * fail at once (503) instead of each waiting the timeout.
 */
public final class PubSub extends ReconnectingLoop {

  private static final Logger LOG = Logger.getLogger(PubSub.class.getName());

  private final NodeSubscriptions subscriptions;
  private final String nodeChannel;
  private final ThreadFactory threads;
  // Liveness of the subscribed connection: whether it is down (broke, or was closed for silence,
  // and is not subscribed again yet), when anything last came on it, and the ping not yet answered
  // (0: none).
  private volatile boolean down;
  private volatile long heardNanos;
  private volatile long pingNanos;
  private boolean watching; // guarded by this

  public PubSub(Connections connections, String nodeId, ThreadFactory threads, BrokerStats stats) {
    super(connections, "juggler-redis-pubsub-" + nodeId, "juggler-pubsub", null, stats);
    this.subscriptions = new NodeSubscriptions(stats);
    this.nodeChannel = Keys.nodeChannel(nodeId);
    this.threads = threads;
  }

  /** See {@link dev.juggler.broker.PubSubBroker#publish}. */
  public void publish(String channel, UUID pubUuid, RawJson args) throws BrokerException {
    CallQueue.requireNoNewline(channel, "channel");
    refuseWhileRestoring();
    String redisChannel = Keys.channel(channel);
    String payload = Entries.event(pubUuid, args);
    long start = System.nanoTime();
    CompletableFuture<Void> echo = subscriptions.expectEcho(channel, pubUuid);
    try {
      // Again: a connection lost since the first check may have left no subscription to expect an
      // echo on, and this node's subscribers would miss the event of an ACKed PUB.
      refuseWhileRestoring();
      // On a cluster every node forwards a PUBLISH to all others, each over its own link: events
      // published through different nodes may overtake each other. Sending all of this broker's
      // events through the node of its own slot keeps them in order, as on one server.
      connections.runTimed(
          nodeChannel,
          (jedis, actBy) ->
              LuaScript.PUBLISH.eval(
                  jedis,
                  List.of(nodeChannel),
                  List.of(Long.toString(actBy), redisChannel, payload)));
      if (echo != null) {
        awaitEcho(echo, start);
      }
    } finally {
      if (echo != null) {
        subscriptions.forgetEcho(pubUuid);
      }
    }
  }

  /** Refuses (503) while the node's subscriptions are not back after a lost connection. */
  private void refuseWhileRestoring() throws BrokerException {
    if (subscriptions.restoring()) {
      throw BrokerException.unavailable(
          new IllegalStateException(
              "this node's subscriptions are being restored after an outage"));
    }
  }

  /**
   * Waits until the event of a PUB that Redis published came back on this node's pub-sub
   * connection, whose thread hands it to the local subscribers next. Redis writes the publisher's
   * answer before it writes the event to the subscribed connections: a Redis killed between the
   * two, or a connection that breaks or goes silent, leaves the event published to others but lost
   * here. The PUB's outcome is then unknown (504), within the command timeout of its start, rather
   * than ACKed and lost to this node's subscribers.
   */
  private void awaitEcho(CompletableFuture<Void> echo, long startNanos) throws BrokerException {
    long left =
        TimeUnit.MILLISECONDS.toNanos(connections.timeoutMs()) - (System.nanoTime() - startNanos);
    try {
      echo.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw stats.failed(
          BrokerException.outcomeUnknown(
              new IllegalStateException(
                  "the event was published but did not come back on this node's pub-sub"
                      + " connection within "
                      + connections.timeoutMs()
                      + " ms",
                  e instanceof ExecutionException ? e.getCause() : null)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw stats.failed(BrokerException.outcomeUnknown(e));
    }
  }

  /** See {@link dev.juggler.broker.PubSubBroker#subscriber}. */
  public Subscriber subscriber(EventSink listener) {
    if (isStopped()) {
      throw new IllegalStateException("broker closed");
    }
    return new RedisSubscriber(this, listener);
  }

  /** Stops the loop, closes its connection and fails subscriptions still waiting. */
  public void stop() {
    stop(connections.timeoutMs());
    subscriptions.failAll();
  }

  NodeSubscriptions.Added add(RedisSubscriber subscriber, Topic.Key key) throws BrokerException {
    if (isStopped()) {
      throw stats.failed(BrokerException.unavailable(new IllegalStateException("broker closed")));
    }
    if (down) {
      throw stats.failed(
          BrokerException.unavailable(
              new IllegalStateException(
                  "this node's pub-sub connection to Redis is down; reconnecting")));
    }
    ensureStarted(threads);
    startWatch();
    return subscriptions.add(subscriber, key);
  }

  /** A subscription was not confirmed in time: the connection is taken as silent, and replaced. */
  void unconfirmed() {
    if (!down && !isStopped()) {
      LOG.warning(
          () ->
              "Redis did not confirm a subscription within "
                  + connections.timeoutMs()
                  + " ms; reconnecting the pub-sub connection");
      down = true;
      abortSession();
    }
  }

  private synchronized void startWatch() {
    if (watching) {
      return;
    }
    watching = true;
    NamedThreads.newThread(threads, "juggler-redis-pubsub-watch", this::watch).start();
  }

  /** Pings the connection when it has been quiet, and closes it when the ping goes unanswered. */
  private void watch() {
    long timeout = TimeUnit.MILLISECONDS.toNanos(connections.timeoutMs());
    long quiet = timeout / 2;
    long period = Math.max(50, connections.timeoutMs() / 4);
    while (!awaitStop(period)) {
      long now = System.nanoTime();
      long pinged = pingNanos;
      if (down) {
        pingNanos = 0;
      } else if (pinged != 0 && heardNanos - pinged < 0) { // nothing came since the ping
        if (now - pinged > timeout) {
          pingNanos = 0;
          down = true;
          stats.brokerError();
          LOG.warning(
              () ->
                  "the pub-sub connection to Redis answered no ping within "
                      + connections.timeoutMs()
                      + " ms; reconnecting it");
          abortSession();
        }
      } else if (now - heardNanos > quiet) {
        try {
          if (subscriptions.ping()) {
            pingNanos = now;
          }
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, "ping on the pub-sub connection failed", e);
          abortSession();
        }
      }
    }
  }

  private void heard() {
    heardNanos = System.nanoTime();
  }

  NodeSubscriptions subscriptions() {
    return subscriptions;
  }

  BrokerStats stats() {
    return stats;
  }

  int timeoutMs() {
    return connections.timeoutMs();
  }

  @Override
  protected void session(Jedis jedis) {
    // Returns when the connection breaks, or when the loop stops.
    jedis.subscribe(new Listener(), nodeChannel);
  }

  @Override
  protected void sessionEnded() {
    down = true;
    subscriptions.disconnected();
  }

  /** Runs on the pub-sub thread. */
  private final class Listener extends JedisPubSub {
    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      heard();
      if (channel.equals(nodeChannel)) {
        connected();
        pingNanos = 0;
        down = false;
        subscriptions.connected(this);
      } else {
        subscriptions.confirmed(channel, false);
      }
    }

    @Override
    public void onPSubscribe(String pattern, int subscribedChannels) {
      heard();
      subscriptions.confirmed(pattern, true);
    }

    @Override
    public void onUnsubscribe(String channel, int subscribedChannels) {
      heard();
    }

    @Override
    public void onPUnsubscribe(String pattern, int subscribedChannels) {
      heard();
    }

    @Override
    public void onPong(String pattern) {
      heard();
    }

    @Override
    public void onMessage(String channel, String message) {
      heard();
      subscriptions.dispatch(channel, null, message);
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      heard();
      subscriptions.dispatch(channel, pattern, message);
    }
  }
}
