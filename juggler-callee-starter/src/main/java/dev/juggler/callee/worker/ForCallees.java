package dev.juggler.callee.worker;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Qualifies the {@code CalleeBroker} the workers use.
 *
 * <p>Another module of the same application may produce a broker of its own (a server node's {@code
 * RedisBroker} is a {@code CalleeBroker} too); the qualifier keeps the two from being ambiguous.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE})
public @interface ForCallees {}
