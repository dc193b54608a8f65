package dev.juggler.callee;

import jakarta.ejb.ApplicationException;
import jakarta.json.JsonObject;
import java.util.Optional;

/**
 * Thrown by an {@link RpcFunction} to fail the call with a chosen error.
 *
 * <p>The caller receives {@code {"error": E}} where {@code E} is {@link #error()} when given (a
 * {@code "message"} member is added to it when it has none), else {@code {"message":
 * getMessage()}}. Any other exception gives the second form with that exception's message.
 *
 * <p>It is an EJB application exception so that an EJB function throwing it is not treated as a
 * system failure (its instance is kept and the exception reaches the worker unwrapped).
 */
@ApplicationException(rollback = false)
public class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient JsonObject error;

  /** An error result {@code {"error":{"message": message}}}. */
  public RpcException(String message) {
    this(message, null, null);
  }

  /**
   * As {@link #RpcException(String)}, keeping {@code cause} for logs (the caller never sees it).
   */
  public RpcException(String message, Throwable cause) {
    this(message, null, cause);
  }

  /**
   * An error result {@code {"error": error}}.
   *
   * @param message for logs, and the error's {@code "message"} when {@code error} has none
   * @param error the error object the caller receives; {@code null} for the default form
   */
  public RpcException(String message, JsonObject error) {
    this(message, error, null);
  }

  private RpcException(String message, JsonObject error, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  /** The custom error object, if one was given. */
  public Optional<JsonObject> error() {
    return Optional.ofNullable(error);
  }
}
