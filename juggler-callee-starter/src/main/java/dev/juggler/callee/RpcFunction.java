package dev.juggler.callee;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a method as the function that serves an RPC URI.
 *
 * <p>The method must be public, not static, on the bean class of a CDI bean or EJB (annotations on
 * interfaces are not seen), and take zero or one parameter:
 *
 * <ul>
 *   <li>The parameter is decoded from the call's arguments with JSON-B into its declared (generic)
 *       type, after a strict check of the JSON kind: {@code String}, {@code char} and enums accept
 *       only a JSON string, numeric types only a JSON number (integral types only an integral value
 *       in range), {@code boolean} only {@code true}/{@code false}, arrays and collections only an
 *       array or {@code null}, other types only an object or {@code null}. A {@code
 *       jakarta.json.JsonValue} parameter (or subtype) receives the raw JSON. With no parameter the
 *       arguments are ignored.
 *   <li>The return value is encoded with JSON-B; {@code void} and {@code null} give JSON {@code
 *       null}, a {@code JsonValue} is written as is.
 *   <li>Any exception becomes the result {@code {"error":{"message":...}}}; see {@link
 *       RpcException} for a custom error object.
 * </ul>
 *
 * <p>Threading: the method is called concurrently by up to {@code juggler.callee.workers} threads.
 * A {@code @Dependent} bean gets a single instance for the whole deployment, so it must be
 * thread-safe like an {@code @ApplicationScoped} one. A function that sleeps or blocks should
 * respond to interruption: the workers are interrupted when the application stops.
 *
 * <p>A URI may be served by one method only; a duplicate fails the deployment.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcFunction {

  /** The URI this method serves, e.g. {@code "test.echo"}; not blank, no whitespace or commas. */
  String value();
}
