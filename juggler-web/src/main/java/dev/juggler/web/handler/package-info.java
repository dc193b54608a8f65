/**
 * The message handler chain.
 *
 * <p>Every message a connection reads (requests) and writes (responses) goes through the {@link
 * dev.juggler.web.handler.Handler} bean. The innermost bean, {@link
 * dev.juggler.web.handler.StandardHandler}, does the standard processing; middleware are CDI
 * decorators of {@code Handler} enabled by {@code @Priority}: a lower priority is called first. The
 * shipped {@link dev.juggler.web.handler.RecoveryHandler} and {@link
 * dev.juggler.web.handler.LoggingHandler} use {@code Interceptor.Priority.LIBRARY_BEFORE} and wrap
 * the application's own handlers ({@code Interceptor.Priority.APPLICATION + n}). A decorator that
 * rejects a request sends a NACK with {@link dev.juggler.web.handler.MsgContext#nack} and does not
 * call its delegate.
 *
 * <p>Shipped decorators, outermost first: {@code RecoveryHandler}, {@code LoggingHandler}, {@code
 * RateLimitHandler} ({@code LIBRARY_BEFORE + 200}), then {@code +300} and {@code +400} left for
 * authentication and authorization, then {@link dev.juggler.web.handler.UriAllowListHandler}
 * ({@code RateLimitHandler.PRIORITY + 300}), which refuses CALLs to URIs no live callee serves
 * using the node's snapshot in {@link dev.juggler.web.handler.LiveUris}. The meta URI {@code
 * juggler.uris} is answered by {@code StandardHandler}, so every decorator sees it.
 */
package dev.juggler.web.handler;
