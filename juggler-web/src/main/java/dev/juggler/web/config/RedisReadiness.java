package dev.juggler.web.config;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;

/**
 * Says in the log whether this node's Redis servers answer. The server starts either way (the
 * brokers connect on first use and NACK requests with 503 while Redis is down); when a server does
 * not answer at startup, it is asked again every {@link #RECHECK} until it does, and the node logs
 * that it is ready then.
 */
@ApplicationScoped
public class RedisReadiness {
  static final Duration RECHECK = Duration.ofSeconds(1);
  private static final Logger LOG = Logger.getLogger(RedisReadiness.class.getName());

  @Inject ServerConfig config;
  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> recheck;

  /** Pings every Redis server of the brokers once; true when all answer. */
  synchronized boolean checkAtStartup() {
    Set<BrokerTarget> waiting = unanswered();
    if (waiting.isEmpty()) {
      return true;
    }
    LOG.warning(
        () ->
            "Juggler server not ready: Redis at "
                + waiting
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

  private Set<BrokerTarget> unanswered() {
    BrokerSettings brokers = config.brokers();
    Set<BrokerTarget> waiting = new LinkedHashSet<>();
    for (BrokerTarget target : new LinkedHashSet<>(List.of(brokers.caller(), brokers.pubsub()))) {
      if (!waiting.contains(target) && !answers(target)) {
        waiting.add(target);
      }
    }
    return waiting;
  }

  private boolean answers(BrokerTarget target) {
    int timeout = (int) config.redisTimeout().toMillis();
    try (Jedis jedis = new Jedis(target.url(), timeout, timeout)) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) { // connection refused, timeout, authentication
      return false;
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (recheck != null) {
      recheck.cancel(false);
      recheck = null;
    }
  }
}
