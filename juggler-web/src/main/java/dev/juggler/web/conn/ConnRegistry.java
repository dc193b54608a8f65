package dev.juggler.web.conn;

import dev.juggler.broker.CallerBroker;
import dev.juggler.broker.PubSubBroker;
import dev.juggler.protocol.message.MsgType;
import dev.juggler.web.config.ServerConfig;
import dev.juggler.web.metrics.ServerMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The live connections of this server node; opens, tracks and releases them. */
@ApplicationScoped
public class ConnRegistry {
  private static final Logger LOG = Logger.getLogger(ConnRegistry.class.getName());

  @Inject Chain chain;
  @Inject CallerBroker caller;
  @Inject PubSubBroker pubsub;
  @Inject ServerConfig config;
  @Inject ServerMetrics metrics;
  @Inject Event<ConnEvent> events;

  @Resource ManagedExecutorService executor;
  @Resource ManagedScheduledExecutorService scheduler;
  @Resource ManagedThreadFactory threads;

  /** The close code sent to every client when the node shuts down (RFC 6455: going away). */
  public static final int GOING_AWAY = 1001;

  /** The close reason sent with {@link #GOING_AWAY}. */
  public static final String SHUTTING_DOWN = "server shutting down";

  private final Map<UUID, Conn> conns = new ConcurrentHashMap<>();
  private volatile boolean stopping;
  private ConnServices services;
  private PeerWatch watch;
  private ScheduledFuture<?> watchSweep;
  private ScheduledFuture<?> callSweep;
  private WriterPool writers;
  private ScheduledFuture<?> writerSweep;

  /** How often the writers are checked for sends that a client blocks (see {@link WriterPool}). */
  static final long WRITER_SWEEP_MS = 100;

  /**
   * How often calls past their timeout are forgotten (see {@link Conn#expireCalls}), and write
   * queues and publish reservations checked against their time bounds.
   */
  static final long CALL_SWEEP_MS = 1_000;

  @PostConstruct
  void start() {
    writers = new WriterPool(threads, config.writerThreads());
    metrics.blockedWriters(writers::stuck);
    services =
        new ConnServices(
            chain,
            caller,
            pubsub,
            config,
            metrics,
            executor,
            new OutboundBacklog(
                config.publishBacklog(),
                config.publishBacklogWait().toMillis(),
                executor,
                scheduler),
            new FanoutEstimates(),
            writers);
    callSweep =
        scheduler.scheduleWithFixedDelay(
            this::expireCalls, CALL_SWEEP_MS, CALL_SWEEP_MS, TimeUnit.MILLISECONDS);
    writerSweep =
        scheduler.scheduleWithFixedDelay(
            () -> writers.sweep(System.nanoTime()),
            WRITER_SWEEP_MS,
            WRITER_SWEEP_MS,
            TimeUnit.MILLISECONDS);
    watch = new PeerWatch(config, metrics);
    long period = watch.periodMillis();
    watchSweep =
        scheduler.scheduleWithFixedDelay(this::watchPeers, period, period, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    watchSweep.cancel(false);
    callSweep.cancel(false);
    writerSweep.cancel(false);
    writers.stop();
  }

  /**
   * Sets up a connection whose handshake succeeded; {@code headers} are its handshake's, looked up
   * by name without regard to case (RFC 9110), however the container spelled them.
   */
  public Conn open(Session session, Set<MsgType> allowed, Map<String, List<String>> headers) {
    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      headers.forEach((name, values) -> byName.put(name, List.copyOf(values)));
    }
    headers = Collections.unmodifiableMap(byName);
    session.setMaxTextMessageBufferSize(config.readLimit());
    session.setMaxBinaryMessageBufferSize(config.readLimit());
    session.setMaxIdleTimeout(0); // the read timeout is ours (PeerWatch): only reads count
    Conn conn = new Conn(session, allowed, headers, services);
    events.fire(new ConnEvent.Accepting(conn.uuid(), headers));
    conns.put(conn.uuid(), conn);
    metrics.connOpened();
    events.fire(new ConnEvent.Connected(conn));
    if (stopping) {
      // its handshake passed the filter just before shutdown began: it must not outlive the node
      conn.close(GOING_AWAY, SHUTTING_DOWN);
    }
    return conn;
  }

  /** Whether the node is shutting down: it accepts no more connections. */
  public boolean stopping() {
    return stopping;
  }

  /**
   * Begins the node's shutdown: no more connections are accepted, and every open one is closed with
   * 1001 (going away) and a reason, so that clients reconnect elsewhere at once instead of seeing
   * their connection drop. The frames already queued for a connection go out before its close
   * frame. Waits up to {@code maxWait} for that and the close handshakes; then closes what is left,
   * dropping the frames its client did not read.
   *
   * @return the connections still open after the wait
   */
  public int shutdown(Duration maxWait) {
    stopping = true;
    List<Conn> open = List.copyOf(conns.values());
    open.forEach(c -> c.closeAfterQueued(GOING_AWAY, SHUTTING_DOWN));
    long deadline = System.nanoTime() + maxWait.toNanos();
    try {
      while (!conns.isEmpty() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // clients that do not read, or do not answer the close: their frames are dropped
    conns.values().forEach(c -> c.abort(GOING_AWAY, SHUTTING_DOWN));
    int left = conns.size();
    LOG.info(
        () ->
            "Juggler server shutting down: closed "
                + open.size()
                + " connections with 1001"
                + (left > 0 ? "; " + left + " did not finish their close handshake" : ""));
    return left;
  }

  /**
   * Closes with 1008 a session whose handshake must not be served (see {@code Handshake}); it gets
   * no connection.
   */
  public void refuse(Session session, String reason) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, Conn.fit(reason)));
    } catch (IOException | RuntimeException e) {
      Abort.session(session);
    }
  }

  /** The connection's session closed (the endpoint's {@code @OnClose}). */
  public void closed(Conn conn, CloseReason reason, Throwable cause) {
    if (conns.remove(conn.uuid()) == null) {
      return;
    }
    conn.release();
    metrics.connClosed();
    events.fire(
        new ConnEvent.Closed(
            conn, reason.getCloseCode().getCode(), reason.getReasonPhrase(), cause));
  }

  /** The connections open now. */
  public Collection<Conn> connections() {
    return Collections.unmodifiableCollection(conns.values());
  }

  private void expireCalls() {
    try {
      long now = System.nanoTime();
      long expired = 0;
      for (Conn conn : conns.values()) {
        expired += conn.expireCalls(now);
        conn.sweepWriter(now);
      }
      metrics.expiredCalls(expired);
      services.backlog().expireReservations(now);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "expired call sweep failed", e);
    }
  }

  private void watchPeers() {
    try {
      long now = System.nanoTime();
      for (Conn conn : conns.values()) {
        if (watch.check(conn, now)) {
          // Its close never completed: the peer is gone or the container no longer reads it.
          conn.forceClose();
          metrics.forcedClose();
          closed(
              conn,
              new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "close did not complete"),
              null);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "connection watch failed", e);
    }
  }
}
