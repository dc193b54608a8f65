package dev.juggler.broker;

/**
 * One connection's subscriptions. Thread-safe; closing it removes all of its subscriptions.
 *
 * <p>Subscribing twice to the same channel (or pattern) is one subscription; events delivered
 * through a pattern carry that pattern.
 */
public interface Subscriber extends AutoCloseable {

  /**
   * Subscribes to a channel, or to a glob pattern with Redis' rules. Returns once events published
   * from then on are sure to be delivered.
   *
   * @throws BrokerException with code 503 when the store cannot be reached
   */
  void subscribe(String channel, boolean pattern) throws BrokerException;

  /**
   * Removes a subscription; removing one that does not exist is not an error.
   *
   * @throws BrokerException with code 503 when the store cannot be reached
   */
  void unsubscribe(String channel, boolean pattern) throws BrokerException;

  @Override
  void close();
}
