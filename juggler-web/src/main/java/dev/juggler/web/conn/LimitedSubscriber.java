package dev.juggler.web.conn;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.Subscriber;
import dev.juggler.protocol.message.NackCode;
import java.util.HashSet;
import java.util.Set;

/**
 * A connection's subscriber that holds at most {@code limit} distinct subscriptions (channels and
 * patterns together, see {@code juggler.server.subscription-limit}): every one of them grows the
 * node's and Redis' subscription tables, and every pattern costs Redis on each PUBLISH, so no
 * client may add them without bound. A SUB past the limit fails with NACK 429; one to a
 * subscription the connection already holds changes nothing and is not refused.
 *
 * <p>Thread-safe. A connection's requests come one at a time, so a SUB's check and its subscription
 * need not be atomic; the lock guards the table against {@link #close} from another thread.
 */
final class LimitedSubscriber implements Subscriber {
  private final Subscriber delegate;
  private final int limit;
  private final Set<Key> held = new HashSet<>();

  private record Key(String channel, boolean pattern) {}

  LimitedSubscriber(Subscriber delegate, int limit) {
    this.delegate = delegate;
    this.limit = limit;
  }

  /** The NACK message of a SUB past the limit. */
  static String limitReached(int limit) {
    return "subscription limit reached: at most " + limit + " per connection";
  }

  @Override
  public void subscribe(String channel, boolean pattern) throws BrokerException {
    Key key = new Key(channel, pattern);
    boolean isNew;
    synchronized (held) {
      isNew = !held.contains(key);
      if (isNew && held.size() >= limit) {
        throw new BrokerException(NackCode.TOO_MANY, limitReached(limit));
      }
      held.add(key);
    }
    // Not under the lock: subscribing waits for Redis, and close() must not wait for that.
    try {
      delegate.subscribe(channel, pattern);
    } catch (BrokerException | RuntimeException e) {
      if (isNew) {
        synchronized (held) {
          held.remove(key); // the SUB is NACKed: it holds no room
        }
      }
      throw e;
    }
  }

  @Override
  public void unsubscribe(String channel, boolean pattern) throws BrokerException {
    delegate.unsubscribe(channel, pattern);
    synchronized (held) {
      held.remove(new Key(channel, pattern));
    }
  }

  /** Subscriptions held now. */
  int size() {
    synchronized (held) {
      return held.size();
    }
  }

  @Override
  public void close() {
    synchronized (held) {
      held.clear();
    }
    delegate.close();
  }
}
