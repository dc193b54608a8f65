package dev.juggler.broker;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.Res;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a listener receives, for bounded waits. */
public final class Recorder<T> {

  /**
   * The longest a test waits for something that must come: long, because a loaded machine can be
   * slow and a correct broker must not fail for it; settable with {@code
   * -Djuggler.test.wait-seconds}.
   */
  public static final Duration TIMEOUT =
      Duration.ofSeconds(Long.getLong("juggler.test.wait-seconds", 60));

  private final BlockingQueue<T> received = new LinkedBlockingQueue<>();

  public static Recorder<Res> ofResults() {
    return new Recorder<>();
  }

  public static Recorder<Evnt> ofEvents() {
    return new Recorder<>();
  }

  @SuppressWarnings("unchecked")
  public ResultListener results() {
    return res -> received.add((T) res);
  }

  @SuppressWarnings("unchecked")
  public EventSink events() {
    return evnt -> received.add((T) evnt);
  }

  /** The next item, failing after {@link #TIMEOUT}. */
  public T next() throws InterruptedException {
    T item = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(item, "nothing received within " + TIMEOUT);
    return item;
  }

  /** The next item within {@code wait}, or {@code null}. */
  public T poll(Duration wait) throws InterruptedException {
    return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isEmpty() {
    return received.isEmpty();
  }

  public int size() {
    return received.size();
  }
}
