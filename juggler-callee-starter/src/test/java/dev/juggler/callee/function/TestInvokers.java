package dev.juggler.callee.function;

import dev.juggler.broker.IncomingCall;
import dev.juggler.callee.RpcFunction;
import dev.juggler.protocol.message.RawJson;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Builds invokers the way the registry does, from plain objects instead of CDI beans, so that
 * functions are tested without a container.
 */
public final class TestInvokers {
  private TestInvokers() {}

  /** An invoker over every {@code @RpcFunction} method of {@code beans}. */
  public static FunctionInvoker of(JsonCodec codec, Object... beans) {
    List<RpcTarget> targets = new ArrayList<>();
    for (Object bean : beans) {
      for (Method m : bean.getClass().getMethods()) {
        RpcFunction f = m.getAnnotation(RpcFunction.class);
        if (f != null) {
          targets.add(RpcTarget.of(f.value(), bean, m, m, codec));
        }
      }
    }
    return new FunctionInvoker(targets, codec);
  }

  /** A call to {@code uri} with {@code args} and a minute to live. */
  public static IncomingCall call(String uri, String args) {
    return call(uri, args, TimeUnit.MINUTES.toNanos(1));
  }

  /** A call to {@code uri} with {@code args}, {@code ttlNanos} from now. */
  public static IncomingCall call(String uri, String args, long ttlNanos) {
    return new IncomingCall(
        UUID.randomUUID(),
        UUID.randomUUID(),
        uri,
        new RawJson(args),
        "test-reply",
        System.nanoTime() + ttlNanos);
  }
}
