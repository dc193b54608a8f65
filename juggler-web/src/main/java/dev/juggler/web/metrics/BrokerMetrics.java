package dev.juggler.web.metrics;

import dev.juggler.broker.BrokerStats;
import dev.juggler.web.broker.Brokers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The broker metrics of a server node, named as the original Go Redis broker's, in the application
 * registry: each is the sum over the node's brokers (one, or two when calls and pub-sub go to
 * different Redis deployments) of a {@link BrokerStats} counter. They are gauges because they read
 * counters kept elsewhere, but they only grow, like counters. See {@link BrokerStats} for exactly
 * what each counts.
 */
@ApplicationScoped
public class BrokerMetrics {

  @Inject MetricRegistry registry;
  @Inject Brokers brokers;

  void register(@Observes @Initialized(ApplicationScoped.class) Object event) {
    gauge("Calls", "Calls stored by this node's brokers", BrokerStats::calls);
    gauge(
        "Results",
        "Results of this node's calls delivered by its brokers to their connections",
        BrokerStats::results);
    gauge(
        "ExpiredResults",
        "Results that reached this node after their call had expired, dropped",
        BrokerStats::expiredResults);
    gauge(
        "Events",
        "Events delivered by this node's brokers to its subscribers, one per subscriber",
        BrokerStats::events);
    gauge(
        "PayloadDecodeFailures",
        "Result or event entries from Redis that could not be decoded, dropped",
        BrokerStats::payloadDecodeFailures);
    gauge(
        "BrokerErrors",
        "Broker operations of this node that failed on Redis (unreachable, or an error reply)",
        BrokerStats::brokerErrors);
  }

  private void gauge(String name, String description, ToLongFunction<BrokerStats> counter) {
    registry.gauge(
        Metadata.builder().withName(name).withDescription(description).build(),
        brokers,
        b -> b.stats().stream().mapToLong(counter).sum());
  }
}
