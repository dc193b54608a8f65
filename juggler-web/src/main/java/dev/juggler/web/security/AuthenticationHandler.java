package dev.juggler.web.security;

import dev.juggler.protocol.message.NackCode;
import dev.juggler.protocol.message.Request;
import dev.juggler.protocol.message.Unsb;
import dev.juggler.web.handler.Handler;
import dev.juggler.web.handler.MsgContext;
import dev.juggler.web.handler.RateLimitHandler;
import dev.juggler.web.metrics.SecurityMetrics;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * With JWT authentication on, refuses protected requests ({@code juggler.security.auth.protected})
 * of connections without a valid token: NACK 401 "authentication required" for an anonymous
 * connection, "token expired" once its token has expired. UNSB is never refused, nor are responses.
 */
@Decorator
@Priority(AuthenticationHandler.PRIORITY)
public abstract class AuthenticationHandler implements Handler {
  /** Inside the rate limit (a flood of refused requests is limited too), before authorization. */
  public static final int PRIORITY = RateLimitHandler.PRIORITY + 100;

  @Inject @Delegate Handler delegate;
  @Inject SecurityConfig config;
  @Inject SecurityMetrics metrics;

  @Override
  public void handle(MsgContext ctx) {
    if (ctx.msg() instanceof Request r
        && !(r instanceof Unsb)
        && config.jwtEnabled()
        && config.protectedRequests().touches(r)) {
      Identity identity = Identity.of(ctx.conn());
      String refusal =
          identity == null
              ? "authentication required"
              : identity.expired(Instant.now(), config.clockSkew()) ? "token expired" : null;
      if (refusal != null) {
        metrics.unauthenticated();
        ctx.nack(NackCode.UNAUTHORIZED, refusal);
        return;
      }
    }
    delegate.handle(ctx);
  }
}
