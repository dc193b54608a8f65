package dev.juggler.it.extra;

import dev.juggler.protocol.message.Call;
import dev.juggler.web.handler.Handler;
import dev.juggler.web.handler.MsgContext;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/** An application handler with a bug: a CALL to {@code it.boom} throws. */
@Decorator
@Priority(Interceptor.Priority.APPLICATION + 20)
public abstract class ExplodingHandler implements Handler {
  @Inject @Delegate Handler delegate;

  @Override
  public void handle(MsgContext ctx) {
    if (ctx.msg() instanceof Call c && "it.boom".equals(c.uri())) {
      throw new IllegalStateException("boom");
    }
    delegate.handle(ctx);
  }
}
