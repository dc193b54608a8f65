package dev.juggler.broker;

import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.RawJson;
import java.util.UUID;

/**
 * Puts one test's channels and patterns under a prefix of their own, and takes it off the events
 * again, so that tests never see each other's events: on a Redis Cluster an event published by an
 * earlier test can still be crossing the cluster bus when the next test subscribes to a channel of
 * the same name. The prefix is literal text, so glob patterns keep their meaning.
 */
final class NamespacedPubSub implements PubSubBroker {
  private final PubSubBroker delegate;
  private final String prefix;

  NamespacedPubSub(PubSubBroker delegate, String prefix) {
    this.delegate = delegate;
    this.prefix = prefix;
  }

  @Override
  public void publish(String channel, UUID pubUuid, RawJson args) throws BrokerException {
    delegate.publish(prefix + channel, pubUuid, args);
  }

  @Override
  public Subscriber subscriber(EventSink listener) {
    Subscriber inner = delegate.subscriber(e -> listener.onEvent(strip(e)));
    return new Subscriber() {
      @Override
      public void subscribe(String channel, boolean pattern) throws BrokerException {
        inner.subscribe(prefix + channel, pattern);
      }

      @Override
      public void unsubscribe(String channel, boolean pattern) throws BrokerException {
        inner.unsubscribe(prefix + channel, pattern);
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  private Evnt strip(Evnt e) {
    return new Evnt(
        e.uuid(),
        e.forUuid(),
        e.channel().substring(prefix.length()),
        e.pattern() == null ? null : e.pattern().substring(prefix.length()),
        e.args());
  }
}
