package dev.juggler.web.handler;

import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.MetaUris;
import dev.juggler.protocol.message.NackCode;
import dev.juggler.web.config.ServerConfig;
import dev.juggler.web.metrics.ServerMetrics;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import java.util.SortedSet;

/**
 * With {@code juggler.server.uri-allow-list} on, a CALL whose URI no live callee serves (none
 * heartbeats it, see {@link LiveUris}) gets NACK 404 at once and goes no further, instead of
 * waiting in the broker until its timeout; counted in {@code UnservedCalls}. The meta URI {@link
 * MetaUris#LIVE_URIS} always passes (the standard handler answers it), and so do invalid URIs (the
 * standard handler refuses them with 400). Off by default: then it does nothing.
 */
@Decorator
@Priority(UriAllowListHandler.PRIORITY)
public abstract class UriAllowListHandler implements Handler {
  /**
   * Inside the rate limit, and inside the room left at +100 and +200 for authentication and
   * authorization: a client learns nothing about the URIs before it is allowed to call.
   */
  public static final int PRIORITY = RateLimitHandler.PRIORITY + 300;

  @Inject @Delegate Handler delegate;
  @Inject ServerConfig config;
  @Inject LiveUris liveUris;
  @Inject ServerMetrics metrics;

  @Override
  public void handle(MsgContext ctx) {
    if (config.uriAllowList()
        && ctx.msg() instanceof Call call
        && !MetaUris.isMeta(call.uri())
        && StandardHandler.nameProblem(call.uri(), "uri") == null) {
      SortedSet<String> live = liveUris.snapshot();
      // No snapshot yet (Redis not read once): let it through rather than refuse every call.
      if (live != null && !live.contains(call.uri())) {
        metrics.unservedCall();
        ctx.nack(NackCode.NOT_FOUND, "no callee serves " + call.uri());
        return;
      }
    }
    delegate.handle(ctx);
  }
}
