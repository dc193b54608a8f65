/**
 * The client's bookkeeping, not part of its API: pending requests with their timers, the
 * subscription table, the reconnect backoff, one WebSocket connection and its serialized writes,
 * JSON-B.
 */
package dev.juggler.client.internal;
