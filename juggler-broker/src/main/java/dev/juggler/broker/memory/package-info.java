/**
 * The brokers in process memory: {@link dev.juggler.broker.memory.InMemoryBroker} on an {@link
 * dev.juggler.broker.memory.InMemoryStore}, for running Juggler without Redis.
 *
 * <p>The store plays Redis' part and each broker a node's: brokers on one store exchange calls,
 * results and events exactly as Redis brokers on one Redis do (the broker contract tests run both),
 * with time-to-live on {@link System#nanoTime()} (or a clock that a test moves on) and patterns
 * matched by Redis' own glob rules. Everything stays in one process, so this is a single-node mode:
 * a server that scales out needs Redis. In an EAR, the web module and the callee module each make
 * their broker on {@link dev.juggler.broker.memory.InMemoryStore#shared()}.
 */
package dev.juggler.broker.memory;
