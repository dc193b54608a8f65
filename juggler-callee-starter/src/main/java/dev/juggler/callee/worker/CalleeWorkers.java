package dev.juggler.callee.worker;

import dev.juggler.broker.Broker;
import dev.juggler.broker.BrokerStats;
import dev.juggler.broker.CalleeBroker;
import dev.juggler.callee.config.CalleeConfig;
import dev.juggler.callee.function.FunctionInvoker;
import dev.juggler.callee.function.FunctionRegistry;
import dev.juggler.lifecycle.EarlyShutdown;
import dev.juggler.lifecycle.HeapRelease;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedExecutors;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedTask;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs the callee workers for the life of the application.
 *
 * <p>At startup it submits {@code juggler.callee.workers} {@link WorkerLoop}s to the container's
 * default {@link ManagedExecutorService} as long-running tasks. At shutdown the workers take no
 * more calls and those in flight get {@code juggler.callee.shutdown-wait} to finish and store their
 * results; functions still running then are interrupted (their callers get an error result) and get
 * {@link #INTERRUPT_WAIT} more. With {@code juggler.callee.enabled=false} it does nothing: no
 * function bean is created, no Redis connection opened. Invalid settings fail the deployment with a
 * message naming the property; Redis being down does not (the workers back off and retry).
 *
 * <p>While the workers run, a {@link Heartbeat} on the container's default {@link
 * ManagedScheduledExecutorService} marks the served URIs live in the broker every {@code
 * juggler.callee.heartbeat-interval} (for {@link CalleeConfig#HEARTBEAT_TTL_INTERVALS} intervals),
 * under an id of this process's own, so that server nodes with {@code
 * juggler.server.uri-allow-list} know which URIs are served. At shutdown the heartbeat leaves (the
 * URIs of this process disappear at once) before the workers stop: a call for them queued now might
 * otherwise wait for nobody.
 *
 * <p>Bean-managed concurrency and transactions: the getters must not queue behind the container's
 * singleton lock, and nothing here is transactional.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionManagement(TransactionManagementType.BEAN)
public class CalleeWorkers {
  /** How long shutdown waits for interrupted functions to return. */
  public static final Duration INTERRUPT_WAIT = Duration.ofSeconds(2);

  private static final Logger LOG = Logger.getLogger(CalleeWorkers.class.getName());

  @Resource private ManagedExecutorService executor;
  @Resource private ManagedScheduledExecutorService scheduler;
  @Inject private CalleeConfig config;
  @Inject private Instance<FunctionRegistry> registry;
  @Inject @ForCallees private Instance<Broker> broker;

  private final CalleeStats stats = new CalleeStats();
  private final WorkerGroup group = new WorkerGroup();
  private volatile List<String> servedUris = List.of();
  private final String calleeId = UUID.randomUUID().toString();
  // Set in start before the shutdown hook is registered, which publishes them to the hook's thread;
  // read in stopWorkers.
  private Heartbeat heartbeat;
  private ScheduledFuture<?> heartbeats;
  private final OutageLog outage = new OutageLog(LOG);
  private volatile boolean stopped;
  private EarlyShutdown earlyStop;

  @PostConstruct
  void start() {
    // a process of callees alone (the callee server) has no other place to do it
    HeapRelease.applyConfigured();
    if (!config.enabled()) {
      LOG.info("Juggler callees disabled (" + CalleeConfig.ENABLED + "=false): no workers");
      return;
    }
    config.validate();
    FunctionInvoker invoker = registry.get().invoker();
    List<String> uris = ServedUris.select(invoker.uris(), config.uris());
    if (uris.isEmpty()) {
      LOG.warning("Juggler callees enabled but no @RpcFunction found: no workers started");
      return;
    }
    WorkerSetup setup =
        new WorkerSetup(
            broker.get(),
            invoker,
            uris,
            config.takeWait(),
            config.callsPerTake(),
            stats,
            outage,
            Sleeper.THREAD,
            WorkerSetup.BROKER_BACKOFF);
    int workers = config.workers();
    group.start(workers, i -> new WorkerLoop(setup, group.stopRequested()), this::submit);
    servedUris = uris;
    startHeartbeat(setup.broker(), uris);
    earlyStop = EarlyShutdown.register("juggler-callee-shutdown", this::stopWorkers);
    LOG.info(
        "Juggler callees serving "
            + uris
            + " with "
            + workers
            + " workers on "
            + config.brokerTarget()
            + (heartbeat == null
                ? "; no heartbeat (" + CalleeConfig.HEARTBEAT_INTERVAL + "=0)"
                : "; heartbeat every " + config.heartbeatInterval().toMillis() + " ms"));
  }

  private void startHeartbeat(CalleeBroker calleeBroker, List<String> uris) {
    Duration interval = config.heartbeatInterval();
    if (interval.isZero()) {
      return;
    }
    String meanwhile = "retrying every " + interval.toMillis() + " ms";
    heartbeat =
        new Heartbeat(
            calleeBroker,
            uris,
            calleeId,
            config.heartbeatTtl(),
            new OutageLog(LOG, "Juggler callee heartbeat", meanwhile));
    Runnable task =
        ManagedExecutors.managedTask(
            heartbeat, Map.of(ManagedTask.IDENTITY_NAME, "juggler-callee-heartbeat"), null);
    heartbeats =
        scheduler.scheduleWithFixedDelay(task, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Future<?> submit(Runnable loop, int index) {
    // The hint lets a server route these tasks to a long-running policy instead of tying up
    // threads meant for short tasks; the name shows in thread dumps and hung-task reports.
    Map<String, String> properties =
        Map.of(
            ManagedTask.LONGRUNNING_HINT,
            "true",
            ManagedTask.IDENTITY_NAME,
            "juggler-callee-worker-" + index);
    return executor.submit(ManagedExecutors.managedTask(loop, properties, null));
  }

  @PreDestroy
  void stop() {
    if (earlyStop != null) {
      earlyStop.close();
    }
    stopWorkers();
  }

  /**
   * Leaves the heartbeat and stops the workers, letting calls in flight finish; at the first of
   * SIGTERM (the {@link EarlyShutdown} hook, so that the workers take no more calls from the moment
   * the signal comes, and its log lines are written) and application stop. The later call waits for
   * the first to end, then does nothing.
   */
  private synchronized void stopWorkers() {
    if (servedUris.isEmpty() || stopped) {
      return;
    }
    stopped = true;
    if (heartbeat != null) {
      heartbeats.cancel(false);
      heartbeat.leave(); // waits for a heartbeat in flight, so none comes after it
    }
    Duration drain = config.shutdownWait();
    LOG.info(
        () ->
            "Juggler callee workers stopping: no more calls taken; calls in flight get up to "
                + drain.toMillis()
                + " ms to finish");
    if (group.stop(drain, INTERRUPT_WAIT)) {
      LOG.info("Juggler callee workers stopped; " + stats);
    } else {
      LOG.warning(
          "Juggler callee workers: "
              + group.running()
              + " still busy after "
              + drain.plus(INTERRUPT_WAIT).toMillis()
              + " ms; stopping anyway; "
              + stats);
    }
  }

  /** The workers' counters. Thread-safe; never null. */
  public CalleeStats stats() {
    return stats;
  }

  /** The URIs served; empty when disabled or nothing is registered. */
  public List<String> servedUris() {
    return servedUris;
  }

  /** Whether callees are enabled in this process ({@code juggler.callee.enabled}). */
  public boolean enabled() {
    return config.enabled();
  }

  /** Workers configured, and running now (0 before they start and after they stop). */
  public int workers() {
    return config.workers();
  }

  public int runningWorkers() {
    return group.running();
  }

  /** Whether the workers were stopped (the application is stopping). */
  public boolean stopped() {
    return stopped;
  }

  /** When the workers' broker outage going on began; empty while the broker works. */
  public Optional<Instant> outageSince() {
    return outage.downSince();
  }

  /** Where the workers take calls from, for messages. */
  public String brokerTarget() {
    return config.brokerTarget().toString();
  }

  /** The counters of the workers' broker, once the workers use it; else empty. */
  public Optional<BrokerStats> brokerStats() {
    return servedUris.isEmpty() ? Optional.empty() : Optional.of(broker.get().stats());
  }
}
