package dev.juggler.core.broker.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.core.broker.CallRequest;
import dev.juggler.core.broker.EventListener;
import dev.juggler.core.broker.ResultListener;
import dev.juggler.core.message.Evnt;
import dev.juggler.core.message.RawJson;
import dev.juggler.core.message.Res;
import dev.juggler.test.redis.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.Jedis;

/** Shared helpers of the Redis broker tests: brokers that close, recorders, bounded waits. */
final class Fixture implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final TestRedis redis;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  /** Threads created by every broker of this fixture. */
  final AtomicInteger threadsCreated = new AtomicInteger();

  Fixture(TestRedis redis) {
    this.redis = redis;
  }

  RedisBrokerConfig config() {
    ThreadFactory threads =
        r -> {
          threadsCreated.incrementAndGet();
          Thread t = new Thread(r);
          t.setDaemon(true);
          return t;
        };
    return RedisBrokerConfig.of(redis.uri()).withThreadFactory(threads).withPoolSize(8);
  }

  RedisBroker broker() {
    return broker(config());
  }

  RedisBroker broker(RedisBrokerConfig config) {
    RedisBroker broker = new RedisBroker(config);
    toClose.add(broker);
    return broker;
  }

  Jedis jedis() {
    Jedis jedis = new Jedis(redis.host(), redis.port());
    toClose.add(jedis);
    return jedis;
  }

  /** Closes every broker and connection made, in reverse order. */
  @Override
  public void close() {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        throw new IllegalStateException("could not close " + toClose.get(i), e);
      }
    }
  }

  static CallRequest call(UUID connUuid, String uri, String args, Duration timeout) {
    return new CallRequest(UUID.randomUUID(), connUuid, uri, new RawJson(args), timeout);
  }

  /** Counts clients with that name in {@code CLIENT LIST}. */
  static int clients(Jedis jedis, String name) {
    int n = 0;
    for (String line : jedis.clientList().split("\n")) {
      if (line.contains(" name=" + name + " ")) {
        n++;
      }
    }
    return n;
  }

  /** Waits, polling, until {@code condition} holds; fails after {@link #TIMEOUT}. */
  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out waiting until " + what);
      Thread.sleep(10);
    }
  }

  /** Records what a listener receives, for bounded waits. */
  static final class Recorder<T> {
    private final BlockingQueue<T> received = new LinkedBlockingQueue<>();

    ResultListener results() {
      return res -> received.add(cast(res));
    }

    EventListener events() {
      return evnt -> received.add(cast(evnt));
    }

    @SuppressWarnings("unchecked")
    private T cast(Object o) {
      return (T) o;
    }

    /** The next item, failing after {@link #TIMEOUT}. */
    T next() throws InterruptedException {
      T item = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertTrue(item != null, "nothing received within " + TIMEOUT);
      return item;
    }

    boolean isEmpty() {
      return received.isEmpty();
    }

    int size() {
      return received.size();
    }
  }

  static Recorder<Res> resultRecorder() {
    return new Recorder<>();
  }

  static Recorder<Evnt> eventRecorder() {
    return new Recorder<>();
  }
}
