/**
 * The Redis adapter of the callee side: produces the {@code CalleeBroker} the workers use, a {@code
 * RedisBroker} built from {@link dev.juggler.callee.config.CalleeConfig}, and closes it with the
 * application.
 */
package dev.juggler.callee.redis;
