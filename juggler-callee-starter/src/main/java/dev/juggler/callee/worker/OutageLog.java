package dev.juggler.callee.worker;

import dev.juggler.callee.log.LogLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs broker outages once, not once per failed attempt: one WARNING line with the cause when the
 * first worker fails (the stack trace at FINE: an outage of Redis is expected, not a bug), a
 * reminder at most once a minute while it lasts, one INFO line with how long it lasted when a
 * worker gets through again. Shared by all workers; the heartbeat has one of its own. Thread-safe.
 */
public final class OutageLog {
  private final Logger log;
  private final String subject;
  private final String meanwhile;
  private final LogLimiter reminders;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicLong failures = new AtomicLong();
  private volatile Instant downSince;

  /** The workers' log: "Juggler callee broker failed; workers back off and retry: …". */
  public OutageLog(Logger log) {
    this(log, "Juggler callee broker", "workers back off and retry");
  }

  /**
   * A log for another task that uses the broker.
   *
   * @param subject what failed, starting the log lines ("Juggler callee heartbeat")
   * @param meanwhile what happens until it is back ("retrying every 1000 ms")
   */
  public OutageLog(Logger log, String subject, String meanwhile) {
    this(log, subject, meanwhile, new LogLimiter(Duration.ofMinutes(1)));
  }

  OutageLog(Logger log, LogLimiter reminders) {
    this(log, "Juggler callee broker", "workers back off and retry", reminders);
  }

  private OutageLog(Logger log, String subject, String meanwhile, LogLimiter reminders) {
    this.log = log;
    this.subject = subject;
    this.meanwhile = meanwhile;
    this.reminders = reminders;
  }

  /** A broker operation failed. */
  public void failure(Exception e) {
    long count = failures.incrementAndGet();
    if (down.compareAndSet(false, true)) {
      downSince = Instant.now();
      reminders.permit(); // the next line only after a full interval
      log.warning(subject + " failed; " + meanwhile + ": " + describe(e));
      log.log(Level.FINE, subject + " failure", e);
    } else if (reminders.permit()) {
      log.warning(subject + " still failing (" + count + " failures so far): " + describe(e));
    }
  }

  /** The exception and its root cause on one line ("broker unavailable" alone says little). */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.toString() : e + " (cause: " + root + ")";
  }

  /** A broker operation succeeded. Cheap when there is no outage (one volatile read). */
  public void success() {
    if (down.get() && down.compareAndSet(true, false)) {
      Instant since = downSince;
      downSince = null;
      long ms = since == null ? 0 : Duration.between(since, Instant.now()).toMillis();
      log.info(subject + " back after " + ms + " ms down, " + failures.getAndSet(0) + " failures");
    }
  }

  /** Whether the last broker operation failed. */
  public boolean isDown() {
    return down.get();
  }

  /**
   * When the outage going on began (the first failure after a success), or empty while the broker
   * works. Readable from any thread; it may lag {@link #isDown()} by an instant.
   */
  public Optional<Instant> downSince() {
    return Optional.ofNullable(downSince);
  }
}
