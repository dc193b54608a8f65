package dev.juggler.broker;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one broker instance since it was made, named as the original Go broker's metrics. The
 * broker updates them; anyone reads. Thread-safe; the counters only grow.
 *
 * <p>What each counts, for the Redis broker and the in-process broker alike:
 *
 * <ul>
 *   <li>{@link #calls()}: calls this broker stored ({@link CallerBroker#call} returned).
 *   <li>{@link #expiredCalls()}: calls this broker's takes ({@link CalleeBroker#take}) found
 *       expired at the head of a queue and discarded, so a callee's broker counts them, not the
 *       caller's. Calls nobody takes vanish with their queue and are counted by no broker.
 *   <li>{@link #results()}: results handed to a listener of this broker ({@link
 *       CallerBroker#results}); results for connections no longer registered are dropped uncounted.
 *   <li>{@link #expiredResults()}: results that reached this node's queue but whose call had
 *       expired by the time the node read them, dropped.
 *   <li>{@link #events()}: events handed to this broker's subscribers, one per subscriber and
 *       event.
 *   <li>{@link #payloadDecodeFailures()}: call, result or event entries read from the store that
 *       could not be decoded, dropped (the in-process broker has no payloads to decode).
 *   <li>{@link #brokerErrors()}: operations that failed because the store could not be reached or
 *       answered with an error (those that got code 503 or 500), including each failed session of a
 *       background loop (results reader, pub-sub connection); {@link Broker#ping()} is not counted.
 * </ul>
 */
public final class BrokerStats {
  private final LongAdder calls = new LongAdder();
  private final LongAdder expiredCalls = new LongAdder();
  private final LongAdder results = new LongAdder();
  private final LongAdder expiredResults = new LongAdder();
  private final LongAdder events = new LongAdder();
  private final LongAdder payloadDecodeFailures = new LongAdder();
  private final LongAdder brokerErrors = new LongAdder();

  public long calls() {
    return calls.sum();
  }

  public long expiredCalls() {
    return expiredCalls.sum();
  }

  public long results() {
    return results.sum();
  }

  public long expiredResults() {
    return expiredResults.sum();
  }

  public long events() {
    return events.sum();
  }

  public long payloadDecodeFailures() {
    return payloadDecodeFailures.sum();
  }

  public long brokerErrors() {
    return brokerErrors.sum();
  }

  /** A call was stored. */
  public void call() {
    calls.increment();
  }

  /** {@code n} expired calls were discarded by a take. */
  public void expiredCalls(long n) {
    if (n > 0) {
      expiredCalls.add(n);
    }
  }

  /** A result was handed to its listener. */
  public void result() {
    results.increment();
  }

  /** {@code n} results were read too late and dropped. */
  public void expiredResults(long n) {
    if (n > 0) {
      expiredResults.add(n);
    }
  }

  /** An event was handed to a subscriber. */
  public void event() {
    events.increment();
  }

  /** An entry read from the store could not be decoded. */
  public void payloadDecodeFailure() {
    payloadDecodeFailures.increment();
  }

  /** An operation failed on the store. */
  public void brokerError() {
    brokerErrors.increment();
  }

  /**
   * Counts {@code e} as a broker error when it says the store failed (503 or 500), not when the
   * request was refused (400, 429); returns {@code e} to be thrown.
   */
  public BrokerException failed(BrokerException e) {
    if (e.code() >= 500) {
      brokerError();
    }
    return e;
  }

  @Override
  public String toString() {
    return "calls="
        + calls()
        + " expiredCalls="
        + expiredCalls()
        + " results="
        + results()
        + " expiredResults="
        + expiredResults()
        + " events="
        + events()
        + " payloadDecodeFailures="
        + payloadDecodeFailures()
        + " brokerErrors="
        + brokerErrors();
  }
}
