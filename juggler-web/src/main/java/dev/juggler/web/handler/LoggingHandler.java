package dev.juggler.web.handler;

import dev.juggler.web.config.ServerConfig;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs every message at FINE: connection, direction, type, UUID, its URI or channel (a response:
 * the request it answers) and handling time (see {@link LogLines}). Payloads only with {@code
 * juggler.server.log-payloads=true}. Enable with the log level of {@code
 * dev.juggler.web.handler.LoggingHandler}.
 */
@Decorator
@Priority(LoggingHandler.PRIORITY)
public abstract class LoggingHandler implements Handler {
  /** Just inside the recovery handler, so that it sees every message, rejected ones included. */
  public static final int PRIORITY = RecoveryHandler.PRIORITY + 100;

  private static final Logger LOG = Logger.getLogger(LoggingHandler.class.getName());

  @Inject @Delegate Handler delegate;
  @Inject ServerConfig config;

  @Override
  public void handle(MsgContext ctx) {
    if (!LOG.isLoggable(Level.FINE)) {
      delegate.handle(ctx);
      return;
    }
    delegate.handle(ctx);
    long micros = (System.nanoTime() - ctx.startNanos()) / 1_000;
    LOG.fine(() -> LogLines.describe(ctx.conn().uuid(), ctx.msg(), micros, config.logPayloads()));
  }
}
