package dev.juggler.web.handler;

import dev.juggler.protocol.message.NackCode;
import dev.juggler.protocol.message.Request;
import dev.juggler.web.config.ServerConfig;
import dev.juggler.web.metrics.ServerMetrics;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

/**
 * Limits the requests of each connection with a token bucket ({@code juggler.server.rate-limit}
 * requests a second, bursts of {@code juggler.server.rate-burst}); a request over the limit gets
 * NACK 429 and goes no further. Off (0) by default. Responses are never limited.
 */
@Decorator
@Priority(RateLimitHandler.PRIORITY)
public abstract class RateLimitHandler implements Handler {
  /** Inside recovery and logging, so that refused requests are logged; before everything else. */
  public static final int PRIORITY = LoggingHandler.PRIORITY + 100;

  @Inject @Delegate Handler delegate;
  @Inject ServerConfig config;
  @Inject ServerMetrics metrics;

  @Override
  public void handle(MsgContext ctx) {
    double rate = config.rateLimit();
    if (rate > 0 && ctx.msg() instanceof Request) {
      long now = System.nanoTime();
      TokenBucket bucket =
          ctx.conn().state(TokenBucket.class, () -> new TokenBucket(rate, config.rateBurst(), now));
      if (!bucket.tryTake(now)) {
        metrics.rateLimited();
        ctx.nack(NackCode.TOO_MANY, "rate limit exceeded: " + rate + " requests/s");
        return;
      }
    }
    delegate.handle(ctx);
  }
}
