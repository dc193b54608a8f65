package dev.juggler.broker.memory.internal;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.EventSink;
import dev.juggler.broker.Subscriber;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.MsgIds;
import dev.juggler.protocol.message.RawJson;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One connection's subscriptions in a store's {@link Topics}; its events run on its broker's
 * dispatcher. Thread-safe.
 */
public final class MemorySubscriber implements Subscriber {

  /** This subscriber's subscriptions; changed only under the {@link Topics} lock. */
  final Set<Topics.Key> keys = ConcurrentHashMap.newKeySet();

  private final Topics topics;
  private final DeliveryThread dispatcher;
  private final EventSink listener;
  private final BooleanSupplier brokerClosed;
  private final Consumer<MemorySubscriber> onClose;
  private final BrokerStats stats;
  private volatile boolean closed;

  /**
   * @param brokerClosed whether the subscriber's broker is closed
   * @param onClose called when the subscriber closes, so that its broker forgets it
   * @param stats where delivered events are counted
   */
  public MemorySubscriber(
      Topics topics,
      DeliveryThread dispatcher,
      EventSink listener,
      BooleanSupplier brokerClosed,
      Consumer<MemorySubscriber> onClose,
      BrokerStats stats) {
    this.topics = topics;
    this.dispatcher = dispatcher;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.brokerClosed = brokerClosed;
    this.onClose = onClose;
    this.stats = stats;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException when this subscriber is closed
   */
  @Override
  public void subscribe(String channel, boolean pattern) throws BrokerException {
    if (brokerClosed.getAsBoolean()) {
      throw BrokerException.unavailable(new IllegalStateException("broker closed"));
    }
    dispatcher.start();
    topics.add(this, new Topics.Key(Objects.requireNonNull(channel, "channel"), pattern));
  }

  @Override
  public void unsubscribe(String channel, boolean pattern) {
    topics.remove(this, new Topics.Key(channel, pattern));
  }

  @Override
  public void close() {
    if (!closed) {
      topics.removeAll(this);
      onClose.accept(this);
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** Under the {@link Topics} lock. */
  void markClosed() {
    closed = true;
  }

  /** Called under the {@link Topics} lock: the event waits for the dispatcher. */
  void enqueue(Topics.Key key, UUID pubUuid, String channel, RawJson args) {
    dispatcher.submit(() -> deliver(key, pubUuid, channel, args));
  }

  /** Runs on the dispatcher; an event of a subscription removed since is dropped. */
  private void deliver(Topics.Key key, UUID pubUuid, String channel, RawJson args) {
    if (!closed && keys.contains(key)) {
      String pattern = key.pattern() ? key.name() : null;
      stats.event();
      listener.onEvent(new Evnt(MsgIds.next(), pubUuid, channel, pattern, args));
    }
  }
}
