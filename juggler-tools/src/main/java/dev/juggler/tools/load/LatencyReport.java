package dev.juggler.tools.load;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Formats latency histograms recorded in microseconds. Stateless. */
public final class LatencyReport {

  private LatencyReport() {}

  /**
   * A histogram that tracks up to {@code highestMicros}, with 3 significant digits; values above it
   * must be clamped by the caller ({@link #clamp}).
   */
  public static Histogram histogram(long highestMicros) {
    return new Histogram(Math.max(2, highestMicros), 3);
  }

  /** {@code micros} brought into the range a histogram of {@code highestMicros} accepts. */
  public static long clamp(long micros, long highestMicros) {
    return Math.max(0, Math.min(micros, highestMicros));
  }

  /**
   * One line: {@code latency (label): n=… min … p50 … p75 … p90 … p99 … max …}, in milliseconds
   * with 3 decimals; {@code n=0} when nothing was recorded.
   */
  public static String format(String label, Histogram h) {
    long n = h.getTotalCount();
    if (n == 0) {
      return "latency (" + label + "): n=0";
    }
    return String.format(
        Locale.ROOT,
        "latency (%s): n=%d min %s p50 %s p75 %s p90 %s p99 %s max %s",
        label,
        n,
        ms(h.getMinValue()),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(75)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getMaxValue()));
  }

  /** Events or results per second over {@code nanos}, with one decimal. */
  public static String rate(long count, long nanos) {
    double perSecond = nanos <= 0 ? 0 : count * 1e9 / nanos;
    return String.format(Locale.ROOT, "%.1f/s", perSecond);
  }

  static String ms(long micros) {
    return String.format(Locale.ROOT, "%.3fms", micros / 1000.0);
  }
}
