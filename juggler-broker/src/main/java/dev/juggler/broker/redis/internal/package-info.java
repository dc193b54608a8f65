/**
 * The parts of {@link dev.juggler.broker.redis.RedisBroker}: connections, scripts, entry formats,
 * and the node's two background loops (results and pub-sub).
 *
 * <p>Not an API: types here are public only so that the broker in the parent package can use them,
 * and may change at any time. The Redis layout they implement is described in {@link
 * dev.juggler.broker.redis}.
 */
package dev.juggler.broker.redis.internal;
