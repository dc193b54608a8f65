package dev.juggler.web.broker;

import dev.juggler.broker.Broker;
import dev.juggler.broker.config.BrokerTarget;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Whether this node's brokers can reach their stores: said in the log at startup, and asked by the
 * readiness health check ({@link #pingAll()}). The server starts either way (the brokers connect on
 * first use and NACK requests with 503 while Redis is down); when a store does not answer at
 * startup, it is asked again every {@link #RECHECK} until it does, and the node logs that it is
 * ready then.
 */
@ApplicationScoped
public class BrokerReadiness {
  static final Duration RECHECK = Duration.ofSeconds(1);
  private static final Logger LOG = Logger.getLogger(BrokerReadiness.class.getName());

  @Inject Brokers brokers;
  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> recheck;

  /** Opens the brokers and pings each store once; true when all answer. */
  public synchronized boolean checkAtStartup() {
    List<BrokerTarget> waiting = unanswered();
    if (waiting.isEmpty()) {
      return true;
    }
    LOG.warning(
        () ->
            "Juggler server not ready: "
                + String.join(", ", waiting.stream().map(String::valueOf).toList())
                + " does not answer; requests get NACK 503 until it does");
    recheck =
        scheduler.scheduleWithFixedDelay(
            this::recheck, RECHECK.toMillis(), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
    return false;
  }

  private synchronized void recheck() {
    if (recheck != null && unanswered().isEmpty()) {
      recheck.cancel(false);
      recheck = null;
      LOG.info("Juggler server ready: Redis answers");
    }
  }

  private List<BrokerTarget> unanswered() {
    List<BrokerTarget> waiting = new ArrayList<>();
    pingAll()
        .forEach(
            (target, answers) -> {
              if (!answers) {
                waiting.add(target);
              }
            });
    return waiting;
  }

  /**
   * Pings the store of every broker of the node, opening the brokers if they were not yet: whether
   * each answered, in the order of {@link Brokers#openAll()}. Each ping takes at most {@code
   * juggler.redis.timeout}, one after the other; never throws.
   */
  public Map<BrokerTarget, Boolean> pingAll() {
    Map<BrokerTarget, Boolean> answers = new LinkedHashMap<>();
    for (Map.Entry<BrokerTarget, Broker> e : brokers.openAll().entrySet()) {
      answers.put(e.getKey(), e.getValue().ping());
    }
    return answers;
  }

  @PreDestroy
  synchronized void stop() {
    if (recheck != null) {
      recheck.cancel(false);
      recheck = null;
    }
  }
}
