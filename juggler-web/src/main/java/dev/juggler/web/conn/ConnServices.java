package dev.juggler.web.conn;

import dev.juggler.broker.CallerBroker;
import dev.juggler.broker.PubSubBroker;
import dev.juggler.web.config.ServerConfig;
import dev.juggler.web.metrics.ServerMetrics;
import java.util.concurrent.Executor;

/**
 * What every connection shares: the handler chain, brokers, settings, metrics, the node's outbound
 * backlog with its fan-out estimates, and the threads that write.
 */
record ConnServices(
    Chain chain,
    CallerBroker caller,
    PubSubBroker pubsub,
    ServerConfig config,
    ServerMetrics metrics,
    Executor closer,
    OutboundBacklog backlog,
    FanoutEstimates fanout,
    ConnWriter.Scheduler writers) {}
