/**
 * The parts of {@link dev.juggler.broker.memory.InMemoryBroker}: the call queues, the result
 * inboxes, the subscription table with its Redis glob matcher, and the delivery thread.
 *
 * <p>Not an API: types here are public only so that the broker in the parent package can use them,
 * and may change at any time.
 */
package dev.juggler.broker.memory.internal;
