package dev.juggler.callee.function;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/** Checks {@code @RpcFunction} methods and finds how to call them through a bean's types. */
final class FunctionSignatures {

  private FunctionSignatures() {}

  /** What makes {@code method} unusable as a function, if anything. */
  static Optional<String> problem(Method method) {
    int modifiers = method.getModifiers();
    if (!Modifier.isPublic(modifiers)) {
      return Optional.of("must be public");
    }
    if (Modifier.isStatic(modifiers)) {
      return Optional.of("must not be static");
    }
    if (method.getParameterCount() > 1) {
      return Optional.of("takes at most one parameter, has " + method.getParameterCount());
    }
    return Optional.empty();
  }

  /**
   * How to call {@code method} on a contextual reference of a bean with {@code beanTypes}: through
   * a bean type that is (a subtype of) the method's class (managed beans, no-interface EJBs), else
   * through the same signature on a bean type that is an interface the bean class implements (an
   * EJB's local business interface).
   */
  static Optional<BusinessMethod> businessMethod(Method method, Collection<Type> beanTypes) {
    Class<?> declaring = method.getDeclaringClass();
    for (Type type : beanTypes) {
      if (declaring.isAssignableFrom(ParamDecoders.rawClass(type))) {
        return Optional.of(new BusinessMethod(type, method));
      }
    }
    for (Type type : beanTypes) {
      Class<?> raw = ParamDecoders.rawClass(type);
      if (raw.isInterface() && raw.isAssignableFrom(declaring)) {
        try {
          return Optional.of(
              new BusinessMethod(
                  type, raw.getMethod(method.getName(), method.getParameterTypes())));
        } catch (NoSuchMethodException e) {
          // Not declared by this interface; try the next one.
        }
      }
    }
    return Optional.empty();
  }

  /** {@code com.example.Foo#bar(java.lang.String)}, for messages. */
  static String describe(Method method) {
    String params =
        Arrays.stream(method.getParameterTypes())
            .map(Class::getName)
            .collect(Collectors.joining(","));
    return method.getDeclaringClass().getName() + "#" + method.getName() + "(" + params + ")";
  }

  /**
   * A bean type to get a reference for and the method to call on it.
   *
   * @param referenceType one of the bean's types
   * @param method a method of {@code referenceType}
   */
  record BusinessMethod(Type referenceType, Method method) {}
}
