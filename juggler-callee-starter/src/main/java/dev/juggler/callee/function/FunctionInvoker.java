package dev.juggler.callee.function;

import dev.juggler.broker.IncomingCall;
import dev.juggler.callee.RpcException;
import dev.juggler.callee.log.LogLimiter;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves calls with the registered functions: decode, invoke, encode; every failure becomes an
 * error result. Thread-safe and immutable.
 */
public final class FunctionInvoker implements CallHandler {
  private static final Logger LOG = Logger.getLogger(FunctionInvoker.class.getName());

  private final Map<String, RpcTarget> targets;
  private final SortedSet<String> uris;
  private final JsonCodec codec;
  private final ErrorResults errors;
  private final LogLimiter unexpectedLog = new LogLimiter(Duration.ofSeconds(10));

  /**
   * @param targets one per URI (the registry has rejected duplicates)
   */
  public FunctionInvoker(Collection<RpcTarget> targets, JsonCodec codec) {
    Map<String, RpcTarget> byUri = new TreeMap<>();
    for (RpcTarget target : targets) {
      if (byUri.put(target.uri(), target) != null) {
        throw new IllegalArgumentException("two functions for " + target.uri());
      }
    }
    this.targets = Map.copyOf(byUri);
    this.uris = Collections.unmodifiableSortedSet(new TreeSet<>(byUri.keySet()));
    this.codec = codec;
    this.errors = new ErrorResults(codec.json());
  }

  /** The URIs served, sorted; unmodifiable. */
  public SortedSet<String> uris() {
    return uris;
  }

  @Override
  public Outcome handle(IncomingCall call) {
    RpcTarget target = targets.get(call.uri());
    if (target == null) {
      return Outcome.failure(errors.of(new RpcException("no function serves " + call.uri())));
    }
    IncomingCall previous = CallScope.enter(call);
    try {
      Object value = target.invoke(call.args());
      return Outcome.success(codec.toJson(value, target.returnType()));
    } catch (Throwable e) {
      Throwable cause = ErrorResults.unwrap(e);
      if (cause instanceof VirtualMachineError && !(cause instanceof StackOverflowError)) {
        throw (VirtualMachineError) cause;
      }
      if (cause instanceof InterruptedException) {
        // Shutdown interrupted the function; the worker must still see it.
        Thread.currentThread().interrupt();
      }
      log(call, cause);
      return Outcome.failure(errors.of(cause));
    } finally {
      CallScope.exit(previous);
    }
  }

  private void log(IncomingCall call, Throwable cause) {
    // Refusals are normal answers; anything else is likely a bug in the function.
    boolean expected = cause instanceof RpcException || cause instanceof InterruptedException;
    if (!expected && unexpectedLog.permit()) {
      LOG.log(
          Level.WARNING, "Function for " + call.uri() + " failed (more within 10 s: FINE)", cause);
    } else if (LOG.isLoggable(Level.FINE)) {
      LOG.log(Level.FINE, "Function for " + call.uri() + " failed: " + cause, cause);
    }
  }
}
