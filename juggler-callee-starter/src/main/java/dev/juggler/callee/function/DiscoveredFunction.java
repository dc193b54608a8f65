package dev.juggler.callee.function;

import jakarta.enterprise.inject.spi.Bean;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * A valid {@code @RpcFunction} method found during deployment.
 *
 * @param uri the URI it serves
 * @param bean the bean that declares it
 * @param referenceType the bean type to get a contextual reference for
 * @param invoked the method to call on that reference
 * @param declared the annotated method on the bean class
 */
public record DiscoveredFunction(
    String uri, Bean<?> bean, Type referenceType, Method invoked, Method declared) {}
