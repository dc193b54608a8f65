package dev.juggler.core.broker.redis.internal;

import dev.juggler.core.broker.BrokerException;
import dev.juggler.core.broker.BrokerStats;
import dev.juggler.core.broker.EventListener;
import dev.juggler.core.broker.Subscriber;
import dev.juggler.core.message.RawJson;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
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
 */
public final class PubSub extends ReconnectingLoop {

  private final Subscriptions subscriptions;
  private final String nodeChannel;
  private final ThreadFactory threads;

  public PubSub(Connections connections, String nodeId, ThreadFactory threads, BrokerStats stats) {
    super(connections, "juggler-redis-pubsub-" + nodeId, "juggler-pubsub", null, stats);
    this.subscriptions = new Subscriptions(stats);
    this.nodeChannel = Keys.nodeChannel(nodeId);
    this.threads = threads;
  }

  /** See {@link dev.juggler.core.broker.PubSubBroker#publish}. */
  public void publish(String channel, UUID pubUuid, RawJson args) throws BrokerException {
    CallQueue.requireNoNewline(channel, "channel");
    if (subscriptions.restoring()) {
      throw BrokerException.unavailable(
          new IllegalStateException(
              "this node's subscriptions are being restored after an outage"));
    }
    String redisChannel = Keys.channel(channel);
    String payload = Entries.event(pubUuid, args);
    // On a cluster every node forwards a PUBLISH to all others, each over its own link: events
    // published through different nodes may overtake each other. Sending all of this broker's
    // events through the node of its own slot keeps them in order, as on one server.
    long receivers =
        connections.runTimed(
            nodeChannel,
            (jedis, actBy) ->
                connections.observedTime(
                    jedis,
                    LuaScript.PUBLISH.eval(
                        jedis,
                        List.of(nodeChannel),
                        List.of(Long.toString(actBy), redisChannel, payload))));
    if (receivers < 0) {
      throw CallQueue.tooLate();
    }
  }

  /** See {@link dev.juggler.core.broker.PubSubBroker#subscriber}. */
  public Subscriber subscriber(EventListener listener) {
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

  Subscriptions.Added add(RedisSubscriber subscriber, Topic.Key key) throws BrokerException {
    if (isStopped()) {
      throw stats.failed(BrokerException.unavailable(new IllegalStateException("broker closed")));
    }
    ensureStarted(threads);
    return subscriptions.add(subscriber, key);
  }

  Subscriptions subscriptions() {
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
    subscriptions.disconnected();
  }

  /** Runs on the pub-sub thread. */
  private final class Listener extends JedisPubSub {
    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      if (channel.equals(nodeChannel)) {
        connected();
        subscriptions.connected(this);
      } else {
        subscriptions.confirmed(channel, false);
      }
    }

    @Override
    public void onPSubscribe(String pattern, int subscribedChannels) {
      subscriptions.confirmed(pattern, true);
    }

    @Override
    public void onMessage(String channel, String message) {
      subscriptions.dispatch(channel, null, message);
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      subscriptions.dispatch(channel, pattern, message);
    }
  }
}
