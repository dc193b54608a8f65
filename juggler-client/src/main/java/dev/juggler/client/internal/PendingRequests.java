package dev.juggler.client.internal;

import dev.juggler.client.ConnectionLostException;
import dev.juggler.client.JugglerException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Requests waiting for their answer, by request UUID, each with a timer. Exactly one of answer,
 * failure and timeout completes a request's future: whichever first removes it from the table; an
 * answer that comes later finds nothing and is dropped.
 *
 * <p>Thread-safe. Futures complete on the thread that answers or fails them, or on the timer's
 * thread for timeouts.
 *
 * @param <T> the answer's type
 */
public final class PendingRequests<T> {
  private final ScheduledExecutorService timer;
  private final Map<UUID, CompletableFuture<T>> pending = new ConcurrentHashMap<>();

  /**
   * @param timer runs the timeouts
   */
  public PendingRequests(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * Registers a request; call this before its frame is written, so that no answer can come first.
   *
   * @param id the request's UUID
   * @param timeout when it fails with {@code onTimeout}'s exception
   * @return its future, completed by {@link #complete}, {@link #fail} or the timeout
   */
  public CompletableFuture<T> register(
      UUID id, Duration timeout, Supplier<? extends JugglerException> onTimeout) {
    CompletableFuture<T> f = new CompletableFuture<>();
    pending.put(id, f);
    try {
      var expiry =
          timer.schedule(
              () -> {
                if (pending.remove(id, f)) {
                  f.completeExceptionally(onTimeout.get());
                }
              },
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
      f.whenComplete((r, e) -> expiry.cancel(false));
    } catch (RejectedExecutionException e) {
      fail(id, new ConnectionLostException("client closed", e));
    }
    return f;
  }

  /**
   * Completes the request with its answer.
   *
   * @return false when it is not pending (never was, timed out, failed): the answer is dropped
   */
  public boolean complete(UUID id, T answer) {
    CompletableFuture<T> f = id == null ? null : pending.remove(id);
    return f != null && f.complete(answer);
  }

  /**
   * Fails the request.
   *
   * @return false when it is not pending
   */
  public boolean fail(UUID id, JugglerException cause) {
    CompletableFuture<T> f = id == null ? null : pending.remove(id);
    return f != null && f.completeExceptionally(cause);
  }

  /** Fails every pending request with {@code cause}. */
  public void failAll(JugglerException cause) {
    for (UUID id : pending.keySet()) {
      fail(id, cause);
    }
  }

  /** The number of pending requests. */
  public int size() {
    return pending.size();
  }
}
