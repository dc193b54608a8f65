package dev.juggler.callee.observe;

import dev.juggler.broker.BrokerStats;
import dev.juggler.callee.worker.CalleeStats;
import dev.juggler.callee.worker.CalleeWorkers;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The callee workers' counters ({@link CalleeStats}, and the expired calls their broker discarded)
 * as metrics of the application registry, prefixed {@code Callee} so that they never clash with a
 * server node's metrics. Gauges, since they read counters kept by the workers; they only grow.
 */
@ApplicationScoped
public class CalleeMetrics {

  @Inject MetricRegistry registry;
  @Inject Instance<CalleeWorkers> instance;
  private Workers workers;

  @PostConstruct
  void init() {
    workers = new Workers(instance);
  }

  void register(@Observes @Initialized(ApplicationScoped.class) Object event) {
    gauge("CalleeCalls", "Calls whose function this process's callees ran", CalleeStats::executed);
    gauge(
        "CalleeFailures",
        "Calls run by this process's callees whose result is an error",
        CalleeStats::failed);
    registry.gauge(
        Metadata.builder()
            .withName("CalleeExpiredCalls")
            .withDescription(
                "Calls that had expired when this process's callees took them, not run (discarded"
                    + " by their broker or skipped by a worker)")
            .build(),
        workers,
        w ->
            w.get().stats().expiredOnArrival()
                + w.get().brokerStats().map(BrokerStats::expiredCalls).orElse(0L));
    gauge(
        "CalleeResultsDropped",
        "Results of this process's callees not stored: the call had expired, the caller's results"
            + " were at capacity, or Redis failed",
        CalleeStats::resultsDropped);
    gauge(
        "CalleeBrokerErrors",
        "Failed Redis operations (take or result) of this process's callees",
        CalleeStats::brokerErrors);
  }

  private void gauge(String name, String description, ToLongFunction<CalleeStats> counter) {
    registry.gauge(
        Metadata.builder().withName(name).withDescription(description).build(),
        workers,
        w -> counter.applyAsLong(w.get().stats()));
  }
}
