package dev.juggler.web.handler;

import java.util.concurrent.TimeUnit;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up; each request takes
 * one. Thread-safe.
 */
final class TokenBucket {
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(double perSecond, double burst, long nowNanos) {
    this.ratePerNano = perSecond / TimeUnit.SECONDS.toNanos(1);
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes a token if one is there at {@code nowNanos}. */
  synchronized boolean tryTake(long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
