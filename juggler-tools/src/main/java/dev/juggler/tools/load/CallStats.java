package dev.juggler.tools.load;

import dev.juggler.client.CallExpiredException;
import dev.juggler.client.CallResults;
import dev.juggler.client.NackException;
import dev.juggler.protocol.message.RawJson;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The counters and latencies of a call load run. Thread-safe: outcomes are recorded from the
 * clients' threads.
 */
final class CallStats {

  final LongAdder sent = new LongAdder();
  final LongAdder results = new LongAdder();
  final LongAdder errorResults = new LongAdder();
  final LongAdder nacks = new LongAdder();
  final LongAdder expired = new LongAdder();
  final LongAdder failed = new LongAdder();
  private final long highestMicros;
  private final Recorder latencies;

  CallStats(long highestMicros) {
    this.highestMicros = highestMicros;
    this.latencies = new Recorder(highestMicros, 3);
  }

  /** Records how a call sent at {@code sentNanos} ended: a result or a failure. */
  void record(long sentNanos, RawJson result, Throwable failure) {
    long micros = (System.nanoTime() - sentNanos) / 1000;
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause == null) {
      results.increment();
      if (CallResults.errorMessage(result).isPresent()) {
        errorResults.increment();
      }
      latencies.recordValue(LatencyReport.clamp(micros, highestMicros));
    } else if (cause instanceof NackException) {
      nacks.increment();
      latencies.recordValue(LatencyReport.clamp(micros, highestMicros));
    } else if (cause instanceof CallExpiredException) {
      expired.increment();
    } else {
      failed.increment();
    }
  }

  /** The latencies recorded so far (RES and NACK; an expired call has no latency). */
  Histogram latencies() {
    return latencies.getIntervalHistogram();
  }
}
