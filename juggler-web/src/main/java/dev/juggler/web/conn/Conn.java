package dev.juggler.web.conn;

import dev.juggler.broker.Registration;
import dev.juggler.broker.Subscriber;
import dev.juggler.protocol.codec.MsgCodec;
import dev.juggler.protocol.codec.ProtocolException;
import dev.juggler.protocol.message.Ack;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.Msg;
import dev.juggler.protocol.message.MsgType;
import dev.juggler.protocol.message.Nack;
import dev.juggler.protocol.message.Res;
import dev.juggler.protocol.message.Response;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection.
 *
 * <p>Requests are read on the container's thread for this connection, one at a time, and taken up
 * in the order they were read: on that thread, or, while a PUB is held by flow control (see {@link
 * #publishWhenRoom}), after it, on the thread that publishes it. {@link #send} may be called from
 * any thread: the response goes through the handler chain and is queued for this connection's
 * writer, so the caller never waits for the client.
 */
public final class Conn {
  private static final Logger LOG = Logger.getLogger(Conn.class.getName());

  private final UUID uuid = UUID.randomUUID();
  private final Session session;
  private final Set<MsgType> allowed;
  private final Map<String, List<String>> headers;
  private final ConnServices services;
  private final ConnWriter writer;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean closeSent = new AtomicBoolean();
  private volatile long lastReadNanos = System.nanoTime();
  // Dead-peer detection (PeerWatch): when the last ping was asked for, 0 for none; when the close
  // frame was asked for, 0 before.
  private volatile long pingNanos;
  private volatile long closeNanos;
  private final Map<Class<?>, Object> handlerState = new ConcurrentHashMap<>(2);

  private final Object lock = new Object();
  private Registration results;
  private Subscriber subscriber;
  // Calls being stored whose ACK is not written yet, with any result that came first.
  private final Map<UUID, Res> awaitingAck = new HashMap<>();
  private static final Res NONE = new Res(null, null, null, null);
  private final PendingCalls pending = new PendingCalls();

  /**
   * Requests that may wait, read while a PUB of this connection is held, before the container's
   * thread itself waits for the PUB to go: so many, and together no more characters than the read
   * limit (one request's worth).
   */
  static final int MAX_WAITING_REQUESTS = 16;

  private record Waiting(Msg msg, int chars) {}

  // How requests are taken up, guarded by lock: FREE, on the container's thread as they are read;
  // HELD, a PUB is held by flow control and later requests wait; RESUMING, the held PUB went and
  // the requests that waited are being taken up.
  private static final int FREE = 0;
  private static final int HELD = 1;
  private static final int RESUMING = 2;
  private int inbound = FREE;

  /**
   * How many held PUBs have gone, guarded by lock: only the latest one's thread takes up the
   * requests that waited. A waiting PUB that one of them takes up may be held in turn and go on
   * another thread at once, before the first has looked again.
   */
  private long resumes;

  /**
   * The container's thread while it takes up a request of this connection, else {@code null}: what
   * that thread writes to this connection it sends itself when the writer is idle (see {@link
   * ConnWriter#offer(String, boolean)}). Read and written by that thread only, as far as a match
   * matters: another thread never finds itself here.
   */
  private Thread reading;

  /**
   * The broker's thread while it delivers a result to this connection, else {@code null}: it sends
   * the RES itself when the writer is idle, as the reading thread does, which saves a hand-off per
   * call. The broker lets it block on a client that does not read: it delivers the other
   * connections' results on another thread meanwhile ({@link dev.juggler.broker.ResultListener}).
   * Two broker threads may deliver here at once (one of them held): each only ever finds itself or
   * another thread here, or {@code null}, so that at worst it hands a frame to the writers.
   */
  private volatile Thread delivering;

  private ArrayDeque<Waiting> waiting; // null while none wait
  private int waitingChars;

  Conn(
      Session session,
      Set<MsgType> allowed,
      Map<String, List<String>> headers,
      ConnServices services) {
    this.session = session;
    this.allowed = allowed;
    this.headers = headers;
    this.services = services;
    this.writer =
        new ConnWriter(
            session.getBasicRemote(),
            new WriterListener(),
            services.backlog(),
            services.writers(),
            services.config().writeQueueCapacity(),
            services.config().writeQueueBytes(),
            services.config().writeQueueTimeout().toNanos(),
            services.config().writeTimeout().toNanos());
  }

  /** This connection's UUID. */
  public UUID uuid() {
    return uuid;
  }

  /**
   * State a handler keeps for this connection (a rate limiter's bucket, say), made on first use and
   * dropped with the connection; one instance per type.
   */
  public <T> T state(Class<T> type, Supplier<? extends T> make) {
    return type.cast(handlerState.computeIfAbsent(type, t -> make.get()));
  }

  /** The request types this connection may send. */
  public Set<MsgType> allowedMessages() {
    return allowed;
  }

  /** The headers of the handshake request; names are looked up case-insensitively. */
  public Map<String, List<String>> handshakeHeaders() {
    return headers;
  }

  /** Whether the connection is open and not being closed. */
  public boolean isOpen() {
    return !closing.get() && session.isOpen();
  }

  /** Sends a response through the handler chain; a no-op once the connection is closing. */
  public void send(Response msg) {
    if (!closing.get()) {
      handle(msg);
    }
  }

  /**
   * Runs {@code publish} for the PUB {@code pubUuid} once the node has room for its events: at once
   * while the frames the node has queued and those its event will add here are not too many (see
   * {@code juggler.server.publish-backlog}), else later, on an executor thread, after at most
   * {@code publish-backlog-wait}; a publisher then publishes no faster than the node delivers.
   * Meanwhile the PUB holds no thread, and this connection takes up none of its later requests, so
   * its answers keep their order. A PUB held when its connection closes is not published. Call
   * {@link #publishFailed} if the PUB is refused.
   */
  public void publishWhenRoom(String channel, UUID pubUuid, Runnable publish) {
    int fanout = services.fanout().estimate(channel);
    if (services.backlog().tryReserve(pubUuid, fanout)) {
      publish.run(); // the common case, without this connection's lock
      return;
    }
    int before;
    synchronized (lock) {
      // set first: once held, the PUB may go on another thread before the backlog returns
      before = inbound;
      inbound = HELD;
    }
    Runnable go = () -> resume(pubUuid, publish);
    if (services.backlog().reserveOrHold(pubUuid, fanout, go)) {
      synchronized (lock) {
        inbound = before; // no request came in between: they come on this thread, or wait
      }
      publish.run();
    } else {
      services.metrics().pubHeld();
    }
  }

  /** The held PUB may go: publishes it, then takes up the requests that waited for it. */
  private void resume(UUID pubUuid, Runnable publish) {
    long turn;
    synchronized (lock) {
      inbound = RESUMING;
      turn = ++resumes;
    }
    if (closing.get()) {
      services.backlog().release(pubUuid); // its client is gone: never published
    } else {
      guarded(publish, MsgType.PUB);
    }
    while (true) {
      Msg next;
      synchronized (lock) {
        if (inbound == HELD || resumes != turn) {
          return; // a PUB that waited is held in turn; it goes on from there (or went already)
        }
        Waiting w = waiting == null || closing.get() ? null : waiting.pollFirst();
        lock.notifyAll(); // a container thread waiting for room (see take)
        if (w == null) {
          inbound = FREE;
          waiting = null;
          waitingChars = 0;
          return;
        }
        waitingChars -= w.chars;
        next = w.msg;
      }
      handle(next);
    }
  }

  /**
   * Takes up a request now, or, while a PUB of this connection is held, after it. The container
   * reads the next request once this returns, so a client that sends far ahead of a held PUB is not
   * read faster than it is served: once {@link #MAX_WAITING_REQUESTS} wait, or the read limit's
   * worth of characters, this thread waits for the PUB to go, up to {@code publish-backlog-wait}
   * (not longer: the sends that let it go may need this very thread).
   */
  private void take(Msg msg, int chars) {
    synchronized (lock) {
      if (inbound != FREE) {
        long deadline = System.nanoTime() + services.config().publishBacklogWait().toNanos();
        long left;
        while (inbound != FREE
            && !closing.get()
            && waitingFull(chars)
            && (left = deadline - System.nanoTime()) > 0) {
          try {
            TimeUnit.NANOSECONDS.timedWait(lock, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        if (closing.get()) {
          return; // nobody to answer
        }
        if (inbound != FREE) {
          if (waiting == null) {
            waiting = new ArrayDeque<>(4);
          }
          waiting.addLast(new Waiting(msg, chars));
          waitingChars += chars;
          return;
        }
      }
    }
    handle(msg);
  }

  private boolean waitingFull(int chars) {
    return waiting != null
        && !waiting.isEmpty()
        && (waiting.size() >= MAX_WAITING_REQUESTS
            || (long) waitingChars + chars > services.config().readLimit());
  }

  /** The PUB was not published: what it reserved in the node's backlog is free again. */
  public void publishFailed(UUID pubUuid) {
    services.backlog().release(pubUuid);
  }

  /**
   * Closes the connection with a close frame; later calls do nothing.
   *
   * @param code a WebSocket close code
   * @param reason a short reason, cut to fit a close frame
   */
  public void close(int code, String reason) {
    if (closing.compareAndSet(false, true)) {
      writer.stop();
      closeSession(code, reason);
    }
  }

  /**
   * Closes the connection with a close frame once the frames already queued for it are sent (an ACK
   * or RES on its way is not lost); no frame is queued meanwhile. Later calls, and {@link #close}
   * afterwards, do nothing but {@link #abort}.
   */
  public void closeAfterQueued(int code, String reason) {
    if (closing.compareAndSet(false, true)) {
      writer.finish(() -> closeSession(code, reason));
    }
  }

  /**
   * Drops what is still queued and closes now, even while {@link #closeAfterQueued} waits for a
   * client that does not read.
   */
  public void abort(int code, String reason) {
    closing.set(true);
    writer.stop();
    closeSession(code, reason);
  }

  private void closeSession(int code, String reason) {
    if (!closeSent.compareAndSet(false, true)) {
      return; // one close frame per connection
    }
    closeNanos = System.nanoTime();
    CloseReason closeReason =
        new CloseReason(CloseReason.CloseCodes.getCloseCode(code), fit(reason));
    // Writing the close frame may block on a client that does not read: never on this thread,
    // which may be a broker thread serving every connection.
    try {
      services.closer().execute(() -> closeSession(closeReason));
    } catch (RuntimeException e) {
      closeSession(closeReason); // executor gone (shutting down)
    }
  }

  private void closeSession(CloseReason closeReason) {
    try {
      session.close(closeReason);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "closing connection " + uuid, e);
    }
  }

  // ---- used by the standard handler ----

  /** Encodes {@code msg} and queues it for the client (the innermost step of sending). */
  public void write(Response msg) {
    if (msg instanceof Res res && !pending.mayAnswer(res.forUuid(), System.nanoTime())) {
      // NACKed, already answered, or past its timeout: the client must never see it.
      services.metrics().droppedResult();
      LOG.fine(() -> "dropped the RES of call " + res.forUuid() + " on connection " + uuid);
      return;
    }
    String text = MsgCodec.encode(msg);
    int limit = services.config().writeLimit();
    if (limit > 0 && text.length() * 3L > limit && utf8Length(text) > limit) {
      services.metrics().writeLimitExceeded();
      close(CloseReason.CloseCodes.TOO_BIG.getCode(), "write limit exceeded");
      return;
    }
    if (msg instanceof Evnt evnt && services.fanout().delivered(evnt.forUuid(), evnt.channel())) {
      services.backlog().release(evnt.forUuid()); // the event's frames are queued from now on
    }
    // Tracked before the frame is queued: once queued, the client may read it and close, and the
    // close forgets every pending call.
    long callNanos = track(msg);
    Thread current = Thread.currentThread();
    if (writer.offer(text, current == reading || current == delivering)) {
      services.metrics().written(msg.type());
      if (callNanos >= 0) {
        services.metrics().callLatency(callNanos);
      }
    }
  }

  /**
   * Follows calls from ACK to RES, for {@code CallLatency} and {@code ExpiredCalls}; returns, for
   * the RES of an acknowledged call, the nanoseconds since its ACK, else -1.
   */
  private long track(Response msg) {
    if (msg instanceof Res res) {
      return pending.answered(res.forUuid(), System.nanoTime());
    } else if (msg instanceof Ack ack && ack.forType() == MsgType.CALL) {
      pending.acked(ack.forUuid(), System.nanoTime());
    } else if (msg instanceof Nack nack && nack.forType() == MsgType.CALL) {
      pending.refused(nack.forUuid());
    }
    return -1;
  }

  /**
   * Forgets the calls whose timeout has passed without a RES; returns how many had been
   * acknowledged. Called about once a second for every connection.
   */
  int expireCalls(long nowNanos) {
    return pending.expire(nowNanos);
  }

  /** Applies the write queue's time bounds (see {@link ConnWriter#sweep}). */
  void sweepWriter(long nowNanos) {
    writer.sweep(nowNanos);
  }

  /** Starts result delivery for this connection, once; called before its first call is stored. */
  public void ensureResultDelivery() {
    synchronized (lock) {
      if (results == null && !closing.get()) {
        results = services.caller().results(uuid, this::onResult);
      }
    }
  }

  /**
   * This connection's subscriptions, created on first use; a SUB past {@code
   * juggler.server.subscription-limit} distinct subscriptions fails with NACK 429.
   */
  public Subscriber subscriber() {
    synchronized (lock) {
      if (subscriber == null) {
        subscriber =
            new LimitedSubscriber(
                services.pubsub().subscriber(this::send), services.config().subscriptionLimit());
      }
      return subscriber;
    }
  }

  /**
   * Marks a call as not yet acknowledged: its result, if it comes first, waits for the ACK. The
   * call's RES is expected until {@code timeout} from now.
   */
  public void holdResults(UUID callUuid, Duration timeout) {
    pending.storing(callUuid, timeout, System.nanoTime());
    synchronized (lock) {
      awaitingAck.put(callUuid, NONE);
    }
  }

  /** The call's ACK or NACK is written: sends a result that came before it. */
  public void releaseResults(UUID callUuid) {
    Res early;
    synchronized (lock) {
      early = awaitingAck.remove(callUuid);
    }
    if (early != null && early != NONE) {
      send(early);
    }
  }

  private void onResult(Res res) {
    synchronized (lock) {
      if (awaitingAck.containsKey(res.forUuid())) {
        awaitingAck.put(res.forUuid(), res);
        return;
      }
    }
    delivering = Thread.currentThread();
    try {
      send(res);
    } finally {
      delivering = null;
    }
  }

  // ---- used by the endpoint ----

  /** A text message came from the client. */
  public void onText(String text) {
    lastReadNanos = System.nanoTime();
    if (text.length() > services.config().readLimit()
        && utf8Length(text) > services.config().readLimit()) {
      violation(new ProtocolException(ProtocolException.TOO_BIG, "read limit exceeded"));
      return;
    }
    Msg msg;
    try {
      msg = MsgCodec.decode(text);
    } catch (ProtocolException e) {
      services.metrics().unknown();
      violation(e);
      return;
    }
    if (!msg.type().isRead()) {
      services.metrics().unknown();
      violation(
          new ProtocolException(
              ProtocolException.PROTOCOL_ERROR, msg.type() + " is sent by servers only"));
      return;
    }
    if (!allowed.contains(msg.type())) {
      violation(
          new ProtocolException(
              ProtocolException.POLICY_VIOLATION,
              msg.type() + " is not allowed on this connection"));
      return;
    }
    services.metrics().read(msg.type());
    reading = Thread.currentThread();
    try {
      take(msg, text.length());
    } finally {
      reading = null;
    }
  }

  /** The client broke the protocol: closes with the exception's close code. */
  public void violation(ProtocolException e) {
    services.metrics().protocolViolation();
    LOG.log(Level.FINE, () -> "connection " + uuid + " violated the protocol: " + e.getMessage());
    close(e.closeCode(), e.getMessage());
  }

  long lastReadNanos() {
    return lastReadNanos;
  }

  /** A pong came: the peer is alive, as a message would show. */
  public void onPong() {
    lastReadNanos = System.nanoTime();
  }

  /** When the last ping was asked for ({@link System#nanoTime}), 0 if none was. */
  long pingNanos() {
    return pingNanos;
  }

  /** When the close frame was asked for, 0 if it was not. */
  long closeNanos() {
    return closeNanos;
  }

  /** Pings the client (the writer's thread sends it). */
  void ping(long nowNanos) {
    pingNanos = nowNanos;
    writer.ping();
  }

  /**
   * Gives up on a connection whose close never completed: closes the session again, without a close
   * frame if the container allows, so that the socket is released whatever the peer and the
   * container's reading side do.
   */
  void forceClose() {
    closing.set(true);
    writer.stop();
    Abort.session(session);
  }

  /** Releases broker resources; called once the connection is closed. */
  void release() {
    closing.set(true);
    writer.stop();
    Registration r;
    Subscriber s;
    synchronized (lock) {
      r = results;
      s = subscriber;
      results = null;
      subscriber = null;
      awaitingAck.clear();
      waiting = null; // a held PUB, if any, is dropped when it may go
      waitingChars = 0;
      lock.notifyAll();
    }
    pending.clear();
    if (r != null) {
      r.close();
    }
    if (s != null) {
      s.close();
    }
  }

  private void handle(Msg msg) {
    guarded(() -> services.chain().handle(this, msg), msg.type());
  }

  private void guarded(Runnable handling, MsgType type) {
    long start = System.nanoTime();
    try {
      handling.run();
    } catch (RuntimeException e) {
      // The recovery handler normally catches this first; this is the last line of defence.
      services.metrics().recoveredFailure();
      LOG.log(Level.SEVERE, "handler failed on connection " + uuid, e);
      close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "internal server error");
    }
    if (System.nanoTime() - start > services.config().slowThreshold().toNanos()) {
      services.metrics().slow(type);
    }
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Cuts a close reason to the 123 bytes a close frame can hold. */
  static String fit(String reason) {
    if (reason == null) {
      return "";
    }
    byte[] b = reason.getBytes(StandardCharsets.UTF_8);
    if (b.length <= 123) {
      return reason;
    }
    String cut = new String(b, 0, 120, StandardCharsets.UTF_8);
    return cut.replace("\uFFFD", "") + "...";
  }

  @Override
  public String toString() {
    return "Conn[" + uuid + "]";
  }

  private final class WriterListener implements ConnWriter.Listener {
    @Override
    public void onSlowReader(boolean timedOut) {
      if (timedOut) {
        services.metrics().writeQueueTimeout();
      } else {
        services.metrics().writeQueueFull();
      }
      close(
          CloseReason.CloseCodes.VIOLATED_POLICY.getCode(),
          timedOut ? "client too slow: write queue timeout" : "client too slow: write queue full");
    }

    @Override
    public void onSendFailed(Throwable cause) {
      if (cause instanceof IOException) {
        FailedSend.over(session); // the write itself failed (not refused before it began)
      }
      services.metrics().writeFailure();
      LOG.log(Level.FINE, "send failed on connection " + uuid, cause);
      close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "write failed");
    }

    @Override
    public void onWriteTimeout() {
      services.metrics().writeFailure();
      LOG.log(Level.FINE, () -> "send timed out on connection " + uuid);
      close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "write failed");
    }
  }
}
