package dev.juggler.callee.function;

import dev.juggler.callee.RpcException;
import dev.juggler.protocol.message.RawJson;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Objects;

/**
 * One function ready to call: a URI bound to an object and a method. Thread-safe if the object is.
 */
public final class RpcTarget {
  private static final Object[] NO_ARGS = {};

  private final String uri;
  private final Object instance;
  private final Method invoked;
  private final ParamDecoder decoder;
  private final Type returnType;

  private RpcTarget(
      String uri, Object instance, Method invoked, ParamDecoder decoder, Type returnType) {
    this.uri = uri;
    this.instance = instance;
    this.invoked = invoked;
    this.decoder = decoder;
    this.returnType = returnType;
  }

  /**
   * Binds {@code uri} to a method.
   *
   * @param instance what to call the method on: a contextual reference in a container
   * @param invoked the method to call on {@code instance} (for an EJB, the business interface's)
   * @param declared the annotated method on the bean class, whose generic types drive decoding and
   *     encoding; often the same as {@code invoked}
   */
  public static RpcTarget of(
      String uri, Object instance, Method invoked, Method declared, JsonCodec codec) {
    Objects.requireNonNull(instance, "instance");
    // A public method of a non-public bean class is still refused by reflection without this.
    invoked.trySetAccessible();
    Type[] params = declared.getGenericParameterTypes();
    ParamDecoder decoder = params.length == 0 ? null : ParamDecoders.forType(params[0], codec);
    return new RpcTarget(uri, instance, invoked, decoder, declared.getGenericReturnType());
  }

  public String uri() {
    return uri;
  }

  /** The declared return type, for encoding. */
  public Type returnType() {
    return returnType;
  }

  /**
   * Decodes {@code args} and calls the function.
   *
   * @throws InvocationTargetException wrapping what the function threw
   * @throws RpcException when the arguments cannot be decoded
   */
  public Object invoke(RawJson args) throws InvocationTargetException, IllegalAccessException {
    return invoked.invoke(instance, decoder == null ? NO_ARGS : new Object[] {decode(args)});
  }

  private Object decode(RawJson args) {
    try {
      return decoder.decode(args);
    } catch (RpcException e) {
      throw e;
    } catch (RuntimeException e) {
      // JSON-B's mapping errors are the caller's mistake too, not the function's.
      throw new RpcException("invalid argument: " + ErrorResults.messageOf(e), e);
    }
  }

  @Override
  public String toString() {
    return uri + " -> " + invoked;
  }
}
