/**
 * The callee module's settings, read with MicroProfile Config.
 *
 * <p>{@link dev.juggler.callee.config.CalleeConfig} holds every {@code juggler.callee.*} key (and
 * the Redis of the calls: {@code juggler.redis.caller.url}, else the shared {@code
 * juggler.redis.url}); defaults are in its {@code @ConfigProperty} annotations. Environment
 * variables override them under the MP Config mapping: {@code juggler.callee.take-wait} is {@code
 * JUGGLER_CALLEE_TAKE_WAIT}.
 */
package dev.juggler.callee.config;
