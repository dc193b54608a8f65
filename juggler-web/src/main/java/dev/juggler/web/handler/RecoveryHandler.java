package dev.juggler.web.handler;

import dev.juggler.web.metrics.ServerMetrics;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.websocket.CloseReason;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Outermost link: a failure anywhere in the chain closes only the connection concerned (1011) and
 * is counted ({@code RecoveredFailures}); the server goes on.
 */
@Decorator
@Priority(RecoveryHandler.PRIORITY)
public abstract class RecoveryHandler implements Handler {
  /**
   * Lower than every other handler (decorators with lower priorities are called first), so that it
   * wraps them all; application handlers use {@code Interceptor.Priority.APPLICATION + n}.
   */
  public static final int PRIORITY = Interceptor.Priority.LIBRARY_BEFORE;

  private static final Logger LOG = Logger.getLogger(RecoveryHandler.class.getName());

  @Inject @Delegate Handler delegate;
  @Inject ServerMetrics metrics;

  @Override
  public void handle(MsgContext ctx) {
    try {
      delegate.handle(ctx);
    } catch (RuntimeException | StackOverflowError e) {
      metrics.recoveredFailure();
      LOG.log(
          Level.SEVERE,
          "handling " + ctx.msg().type() + " " + ctx.msg().uuid() + " on " + ctx.conn() + " failed",
          e);
      ctx.conn()
          .close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "internal server error");
    }
  }
}
