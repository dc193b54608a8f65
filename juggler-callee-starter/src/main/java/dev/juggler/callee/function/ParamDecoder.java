package dev.juggler.callee.function;

import dev.juggler.callee.RpcException;
import dev.juggler.protocol.message.RawJson;

/**
 * Decodes a call's raw arguments into a function's parameter. Thread-safe, stateless.
 *
 * <p>Implementations come from {@link ParamDecoders#forType}.
 */
@FunctionalInterface
public interface ParamDecoder {

  /**
   * The parameter value for {@code args}; {@code null} only where JSON {@code null} is accepted.
   *
   * @throws RpcException when the arguments are of the wrong JSON kind or out of range
   * @throws RuntimeException when JSON-B cannot map them to the parameter type
   */
  Object decode(RawJson args);
}
