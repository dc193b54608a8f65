package dev.juggler.web.handler;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.CallerBroker;
import dev.juggler.protocol.message.Ack;
import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.MetaUris;
import dev.juggler.protocol.message.MsgIds;
import dev.juggler.protocol.message.NackCode;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Res;
import dev.juggler.web.config.ServerConfig;
import dev.juggler.web.conn.Conn;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.time.Duration;
import java.util.SortedSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's view of the URIs that live callees serve: a snapshot of {@link
 * CallerBroker#liveUris()}, read again every {@link #REFRESH} on the container's managed scheduled
 * executor. One broker read per refresh per node, however many CALLs; a CALL is judged against a
 * snapshot at most that old (plus the callee's own heartbeat lag). Thread-safe.
 *
 * <p>The refreshes start with the application when {@code juggler.server.uri-allow-list} is on,
 * else on the first CALL to {@link MetaUris#LIVE_URIS}. A failed read (Redis down) keeps the last
 * snapshot: the CALLs it lets through then get NACK 503 from the broker anyway. Until a first read
 * succeeds there is no snapshot: the allow-list lets every CALL through and the meta URI gets NACK
 * 503.
 */
@ApplicationScoped
public class LiveUris {
  /** How old a snapshot may get: twice a second, well within a callee's heartbeat interval. */
  static final Duration REFRESH = Duration.ofMillis(500);

  private static final Logger LOG = Logger.getLogger(LiveUris.class.getName());

  @Inject CallerBroker caller;
  @Inject ServerConfig config;
  @Resource ManagedScheduledExecutorService scheduler;

  private volatile SortedSet<String> snapshot;
  private volatile ScheduledFuture<?> refreshes;
  private boolean failing; // guarded by this
  private long failingSinceNanos; // guarded by this
  private boolean stopped; // guarded by this

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    if (config.uriAllowList()) {
      start();
    }
  }

  /**
   * The URIs live at the last refresh, or {@code null} while none succeeded yet; starts the
   * refreshes on first use.
   */
  public SortedSet<String> snapshot() {
    if (refreshes == null) {
      start();
    }
    return snapshot;
  }

  /**
   * Answers a CALL to {@link MetaUris#LIVE_URIS}: ACK, then a RES whose args are the live URIs as a
   * sorted JSON array; NACK 503 while no snapshot was read. Both go through the handler chain.
   */
  void answer(MsgContext ctx, Call call) {
    SortedSet<String> uris = snapshot();
    if (uris == null) {
      ctx.nack(NackCode.UNAVAILABLE, "live URIs not known yet: broker unavailable");
      return;
    }
    String args = Json.createArrayBuilder(uris).build().toString();
    Conn conn = ctx.conn();
    conn.send(Ack.of(call));
    conn.send(new Res(MsgIds.next(), call.uuid(), call.uri(), new RawJson(args)));
  }

  private synchronized void start() {
    if (refreshes != null || stopped) {
      return;
    }
    refresh(); // a first snapshot before the first CALL is judged
    refreshes =
        scheduler.scheduleWithFixedDelay(
            this::refresh, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    try {
      snapshot = caller.liveUris();
      recovered();
    } catch (BrokerException | RuntimeException e) {
      // Never thrown out of the task: the executor would stop running it.
      failed(e);
    }
  }

  private synchronized void recovered() {
    if (failing) {
      failing = false;
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSinceNanos);
      LOG.info("Juggler live URIs read again from the broker, after " + ms + " ms");
    }
  }

  private synchronized void failed(Exception e) {
    if (!failing) {
      failing = true;
      failingSinceNanos = System.nanoTime();
      // An outage of Redis is expected: one line with its cause; the stack trace at FINE.
      LOG.warning(
          "Juggler live URIs could not be read; keeping the last ones and retrying every "
              + REFRESH.toMillis()
              + " ms: "
              + e
              + (e.getCause() == null ? "" : " (cause: " + e.getCause() + ")"));
      LOG.log(Level.FINE, "live URIs read failure", e);
    }
  }

  @PreDestroy
  synchronized void stop() {
    stopped = true;
    if (refreshes != null) {
      refreshes.cancel(false);
    }
  }
}
