package dev.juggler.web.security;

import dev.juggler.protocol.message.Call;
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
 * With authorization rules on ({@code juggler.security.authz.rules}), refuses a CALL, SUB or PUB
 * that no rule matching the connection allows: NACK 403 "not authorized: TYPE name". A connection
 * whose token has expired is judged as anonymous. UNSB is always allowed; so is a request without a
 * URI or channel, which the standard handler refuses as a bad request.
 */
@Decorator
@Priority(AuthorizationHandler.PRIORITY)
public abstract class AuthorizationHandler implements Handler {
  /** Inside authentication, so that it knows who is asking. */
  public static final int PRIORITY = RateLimitHandler.PRIORITY + 200;

  @Inject @Delegate Handler delegate;
  @Inject SecurityConfig config;
  @Inject SecurityMetrics metrics;

  @Override
  public void handle(MsgContext ctx) {
    AuthzRules rules = config.rules();
    if (rules != null && ctx.msg() instanceof Request r && !(r instanceof Unsb)) {
      String name = r instanceof Call ? r.uri() : r.channel();
      if (name != null && !name.isEmpty()) {
        Identity identity = Identity.of(ctx.conn());
        if (identity != null && identity.expired(Instant.now(), config.clockSkew())) {
          identity = null;
        }
        if (!rules.allows(identity, r)) {
          metrics.unauthorized();
          ctx.nack(NackCode.FORBIDDEN, "not authorized: " + r.type() + " " + name);
          return;
        }
      }
    }
    delegate.handle(ctx);
  }
}
