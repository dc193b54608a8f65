package dev.juggler.broker.config;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * How to open a broker, whatever its target.
 *
 * @param callCapacity calls that may wait per URI; 0 for no limit
 * @param resultCapacity results that may wait per connection of this node; 0 for no limit
 * @param poolSize the most pooled Redis connections (per cluster node); unused in process
 * @param timeout Redis connect and command timeout; unused in process
 * @param threadFactory makes the broker's few long-running threads
 */
public record BrokerOptions(
    int callCapacity,
    int resultCapacity,
    int poolSize,
    Duration timeout,
    ThreadFactory threadFactory) {}
