/**
 * The broker SPI: how the server hands calls to callees and results back, and how it publishes and
 * subscribes to events.
 *
 * <p>{@link dev.juggler.broker.CallerBroker} and {@link dev.juggler.broker.PubSubBroker} are used
 * by server nodes, {@link dev.juggler.broker.CalleeBroker} by callee workers. Callees also
 * heartbeat the URIs they serve, and server nodes read which URIs are live ({@link
 * dev.juggler.broker.CallerBroker#liveUris()}). The Redis implementation lives in {@code
 * dev.juggler.broker.redis}, the in-process one (single node, no Redis) in {@code
 * dev.juggler.broker.memory}; both pass the same contract tests.
 */
package dev.juggler.broker;
