package dev.juggler.it.extra;

import dev.juggler.protocol.message.Request;
import dev.juggler.web.handler.Handler;
import dev.juggler.web.handler.MsgContext;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/** An application handler: rejects requests naming {@code it.forbidden*} with NACK 403. */
@Decorator
@Priority(Interceptor.Priority.APPLICATION + 10)
public abstract class DenyingHandler implements Handler {
  @Inject @Delegate Handler delegate;

  @Override
  public void handle(MsgContext ctx) {
    if (ctx.msg() instanceof Request r) {
      String name = r.uri() != null ? r.uri() : r.channel();
      if (name != null && name.startsWith("it.forbidden")) {
        ctx.attribute("denied", Boolean.TRUE);
        ctx.nack(403, "forbidden by the test handler");
        return;
      }
    }
    delegate.handle(ctx);
  }
}
