package dev.juggler.broker;

import dev.juggler.protocol.message.RawJson;
import java.util.UUID;

/**
 * Publishing and subscribing to channels.
 *
 * <p>Implementations are thread-safe. Events published one after another on one channel reach every
 * subscriber in that order. Subscriptions of all connections on a node share the node's store
 * connections.
 */
public interface PubSubBroker {

  /**
   * Publishes an event. Returns once the store has accepted it and, when this node has subscribers
   * the event is for, once it has come back from the store to be handed to them.
   *
   * @param channel the channel (not a pattern)
   * @param pubUuid the PUB message's UUID; the EVNT refers to it
   * @param args the event arguments, raw
   * @throws BrokerException with code 503 when the store cannot be reached, did not answer lately,
   *     or is not yet subscribed again to this node's topics after an outage (not published); 504
   *     when the store gave no answer in time (not published from now on), or published it but the
   *     event did not reach this node's subscribers in time (others may have it)
   */
  void publish(String channel, UUID pubUuid, RawJson args) throws BrokerException;

  /**
   * A subscriber for one connection. Events for its subscriptions go to {@code listener}, on a
   * broker thread, one at a time and in the order the store delivered them.
   */
  Subscriber subscriber(EventSink listener);
}
