package dev.juggler.callee.function;

import dev.juggler.callee.RpcException;
import dev.juggler.protocol.message.RawJson;
import jakarta.ejb.EJBException;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;

/**
 * Turns a function's failure into the result the caller receives: {@code {"error":{"message":...}}}
 * or an {@link RpcException}'s custom error object.
 *
 * <p>Built with JSON-P so that any message (quotes, newlines, control characters) is escaped
 * correctly. Thread-safe.
 */
public final class ErrorResults {
  private final JsonProvider json;

  public ErrorResults(JsonProvider json) {
    this.json = json;
  }

  /** The error result for {@code failure}, unwrapped first (see {@link #unwrap}). */
  public RawJson of(Throwable failure) {
    Throwable cause = unwrap(failure);
    JsonObject error = null;
    if (cause instanceof RpcException rpc) {
      error = rpc.error().orElse(null);
    }
    if (error == null) {
      error = json.createObjectBuilder().add("message", messageOf(cause)).build();
    } else if (!error.containsKey("message")) {
      // Clients look for error.message; keep it there even in a custom object.
      error = json.createObjectBuilder(error).add("message", messageOf(cause)).build();
    }
    return new RawJson(json.createObjectBuilder().add("error", error).build().toString());
  }

  /**
   * The exception a function threw, without the layers reflection and the EJB container add: {@link
   * InvocationTargetException}, {@link UndeclaredThrowableException} and an {@link EJBException}
   * wrapping a system exception.
   */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null
        && (t instanceof InvocationTargetException
            || t instanceof UndeclaredThrowableException
            || t instanceof EJBException)) {
      t = t.getCause();
    }
    return t;
  }

  /** The exception's message, or its class name when it has none: never null or blank. */
  public static String messageOf(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getName() : message;
  }
}
