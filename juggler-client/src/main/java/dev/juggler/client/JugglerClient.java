package dev.juggler.client;

import dev.juggler.backoff.Backoff;
import dev.juggler.client.internal.Dispatcher;
import dev.juggler.client.internal.Json;
import dev.juggler.client.internal.Link;
import dev.juggler.client.internal.PendingRequests;
import dev.juggler.client.internal.SerialExecutor;
import dev.juggler.client.internal.Subscriptions;
import dev.juggler.client.internal.Subscriptions.Key;
import dev.juggler.protocol.codec.MsgCodec;
import dev.juggler.protocol.message.Call;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.MsgIds;
import dev.juggler.protocol.message.MsgType;
import dev.juggler.protocol.message.Pub;
import dev.juggler.protocol.message.RawJson;
import dev.juggler.protocol.message.Request;
import dev.juggler.protocol.message.Sub;
import dev.juggler.protocol.message.Unsb;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A juggler.0 client: calls, publishes and subscribes over one WebSocket connection.
 *
 * <p><b>Threading.</b> Every method may be called from any thread. The futures it returns complete
 * on the client's network thread (answers; with {@link ClientOptions#httpClient} a thread of that
 * client's executor), on the timer thread {@code juggler-client-timer} that all clients share
 * (timeouts) or on the calling thread (a request that cannot be sent): keep dependent stages short
 * or use the {@code *Async} methods of {@link CompletableFuture}. Event and connection listeners
 * run one at a time, in the order the server sent the events, on the client's delivery thread
 * {@code juggler-client-events} (or on {@link ClientOptions#listenerExecutor}).
 *
 * <p><b>Ordering.</b> Requests are written in the order their methods were called (for calls from
 * one thread); the server answers a connection's requests in order.
 *
 * <p><b>Failures.</b> Futures fail with a {@link JugglerException}: {@link NackException} (the
 * server refused), {@link CallExpiredException} (no result within the call's timeout), {@link
 * AckTimeoutException}, {@link ConnectionLostException} (the connection dropped, or was not open,
 * before the answer). A lost connection fails every pending request at once. With {@link
 * ClientOptions#reconnect(boolean)} the client then reconnects with backoff and subscribes again to
 * every subscription that had been ACKed; requests made while it is disconnected fail at once.
 *
 * <p>A callee's failure is not a request failure: its RES carries {@code {"error":{"message":…}}},
 * which {@link CallResults#errorMessage(RawJson)} recognizes.
 */
public final class JugglerClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(JugglerClient.class.getName());

  private final URI uri;
  private final ClientOptions options;

  /**
   * Runs every client's timeouts and reconnect delays: one thread for the JVM, however many
   * connections. Cancelled timeouts leave its queue at once.
   */
  private static final ScheduledThreadPoolExecutor TIMER = sharedTimer();

  private final HttpClient http;
  private final ScheduledExecutorService timer = TIMER;
  private final Executor delivery;
  private final Runnable stopDelivery;
  private final PendingRequests<RawJson> calls = new PendingRequests<>(timer);
  private final PendingRequests<Void> acks = new PendingRequests<>(timer);
  private final Subscriptions subscriptions = new Subscriptions();
  private final Dispatcher dispatcher;
  private final Backoff backoff;
  private final Object lock = new Object();
  private volatile Link link;
  private volatile boolean closed;

  private JugglerClient(URI uri, ClientOptions options) {
    this.uri = uri;
    this.options = options;
    this.http = options.httpClient() != null ? options.httpClient() : HttpClient.newHttpClient();
    if (options.listenerExecutor() != null) {
      SerialExecutor serial = new SerialExecutor(options.listenerExecutor());
      this.delivery = serial;
      this.stopDelivery = serial::shutdown;
    } else {
      ExecutorService own = Executors.newSingleThreadExecutor(daemon("juggler-client-events"));
      this.delivery = own;
      this.stopDelivery = own::shutdown;
    }
    this.dispatcher = new Dispatcher(calls, acks, subscriptions, delivery);
    this.backoff = new Backoff(options.reconnectMinDelay(), options.reconnectMaxDelay());
  }

  /**
   * Connects, blocking until the handshake is done.
   *
   * @param uri the server's WebSocket endpoint, such as {@code ws://host:9080/ws}
   * @param options how to connect and behave
   * @return the connected client; close it when done
   * @throws JugglerException when the connection cannot be opened within {@link
   *     ClientOptions#connectTimeout()}
   */
  public static JugglerClient connect(URI uri, ClientOptions options) {
    JugglerClient client = new JugglerClient(uri, options);
    try {
      Link l = client.open().get(options.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      client.attach(l, ConnectionState.CONNECTED);
      return client;
    } catch (ExecutionException | TimeoutException e) {
      client.close();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new JugglerException("could not connect to " + uri, cause);
    } catch (InterruptedException e) {
      client.close();
      Thread.currentThread().interrupt();
      throw new JugglerException("interrupted while connecting to " + uri, e);
    }
  }

  /**
   * Calls the function at {@code uri}.
   *
   * @param uri the function's URI
   * @param args the arguments: a {@link RawJson} as it is, anything else encoded with JSON-B
   *     ({@code null} is JSON null)
   * @param timeout how long the result may take, positive; sent to the server in nanoseconds
   * @return completed with the raw result, or failed as the class javadoc says
   * @throws IllegalArgumentException when the timeout is not positive
   * @throws jakarta.json.bind.JsonbException when {@code args} cannot be encoded
   */
  public CompletableFuture<RawJson> call(String uri, Object args, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    requireAllowed(MsgType.CALL);
    Call call = new Call(MsgIds.next(), uri, timeout, Json.encode(args));
    // registered before the frame is written: a fast RES always finds its call
    CompletableFuture<RawJson> f =
        calls.register(call.uuid(), timeout, () -> new CallExpiredException(uri, timeout));
    send(call, e -> calls.fail(call.uuid(), e));
    return f;
  }

  /**
   * Like {@link #call(String, Object, Duration)}, with the result decoded into {@code type} by
   * JSON-B; a result that does not fit fails the future with a {@code JsonbException} (an error
   * result, for example, when {@code type} is {@code String}).
   */
  public <T> CompletableFuture<T> call(String uri, Object args, Duration timeout, Class<T> type) {
    return call(uri, args, timeout).thenApply(raw -> Json.decode(raw, type));
  }

  /**
   * Subscribes to a channel. Events may reach {@code listener} before the future completes.
   * Subscribing again to the same channel replaces the listener.
   *
   * @return completed on ACK; failed on NACK, ack timeout or connection loss (then the listener is
   *     dropped)
   */
  public CompletableFuture<Void> subscribe(String channel, EventListener listener) {
    return subscribe(new Key(channel, false), listener);
  }

  /**
   * Subscribes to a Redis glob pattern of channels ({@code news.*}); as {@link #subscribe}. Events
   * delivered through it have {@link Evnt#pattern()} set.
   */
  public CompletableFuture<Void> psubscribe(String pattern, EventListener listener) {
    return subscribe(new Key(pattern, true), listener);
  }

  /**
   * Removes a channel subscription; its listener gets no event after this returns (save one being
   * delivered right now).
   *
   * @return completed on ACK, failed on NACK, ack timeout or connection loss
   */
  public CompletableFuture<Void> unsubscribe(String channel) {
    return unsubscribe(new Key(channel, false));
  }

  /** Removes a pattern subscription; as {@link #unsubscribe(String)}. */
  public CompletableFuture<Void> punsubscribe(String pattern) {
    return unsubscribe(new Key(pattern, true));
  }

  /**
   * Publishes an event on {@code channel}.
   *
   * @param args as for {@link #call(String, Object, Duration)}
   * @return completed on ACK, failed on NACK, ack timeout or connection loss
   */
  public CompletableFuture<Void> publish(String channel, Object args) {
    requireAllowed(MsgType.PUB);
    return request(new Pub(MsgIds.next(), channel, Json.encode(args)));
  }

  /** Whether a connection is open now. */
  public boolean isConnected() {
    Link l = link;
    return l != null && !l.isLost();
  }

  /**
   * Closes the connection and stops reconnecting; pending requests fail with {@link
   * ConnectionLostException}. Idempotent; does not block.
   */
  @Override
  public void close() {
    Link l;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      l = link;
      link = null;
    }
    if (l != null) {
      l.close();
    }
    failPending(new ConnectionLostException("client closed", null));
    notifyState(ConnectionState.CLOSED, null);
    stopDelivery.run();
  }

  private CompletableFuture<Void> subscribe(Key key, EventListener listener) {
    requireAllowed(MsgType.SUB);
    Subscriptions.Entry entry = subscriptions.put(key, listener);
    CompletableFuture<Void> f = request(new Sub(MsgIds.next(), key.channel(), key.pattern()));
    return f.whenComplete(
        (r, e) -> {
          if (e == null) {
            entry.activate();
          } else {
            subscriptions.removeIfInactive(key, entry);
          }
        });
  }

  private CompletableFuture<Void> unsubscribe(Key key) {
    requireAllowed(MsgType.UNSB);
    subscriptions.remove(key);
    return request(new Unsb(MsgIds.next(), key.channel(), key.pattern()));
  }

  /**
   * Refuses, before anything is sent, a request type this connection announced it would not send:
   * the server would close the connection for it.
   */
  private void requireAllowed(MsgType type) {
    Set<MsgType> allowed = options.allowedMessages();
    if (!allowed.isEmpty() && !allowed.contains(type)) {
      throw new IllegalStateException(
          type + " is not among this client's allowed messages " + allowed);
    }
  }

  private CompletableFuture<Void> request(Request r) {
    Duration timeout = options.ackTimeout();
    String what = r.type().label() + " " + r.channel();
    CompletableFuture<Void> f =
        acks.register(r.uuid(), timeout, () -> new AckTimeoutException(what, timeout));
    send(r, e -> acks.fail(r.uuid(), e));
    return f;
  }

  private void send(Request r, Consumer<JugglerException> onFailure) {
    Link l = link;
    if (l == null) {
      onFailure.accept(
          new ConnectionLostException(closed ? "client closed" : "not connected", null));
      return;
    }
    l.send(MsgCodec.encode(r))
        .whenComplete(
            (x, e) -> {
              if (e != null) {
                onFailure.accept(new ConnectionLostException("could not send", e));
              }
            });
  }

  private CompletableFuture<Link> open() {
    return Link.open(
        http,
        uri,
        handshakeHeaders(),
        options.connectTimeout(),
        new Link.Handler() {
          @Override
          public void onFrame(Link l, String frame) {
            dispatcher.receive(frame);
          }

          @Override
          public void onLost(Link l, Throwable cause) {
            lost(l, cause);
          }
        });
  }

  private Map<String, String> handshakeHeaders() {
    if (options.allowedMessages().isEmpty()) {
      return options.headers();
    }
    Map<String, String> h = new LinkedHashMap<>(options.headers());
    h.put(
        "Juggler-Allowed-Messages",
        options.allowedMessages().stream().map(MsgType::label).collect(Collectors.joining(",")));
    return h;
  }

  private void attach(Link l, ConnectionState state) {
    synchronized (lock) {
      if (closed) {
        l.close();
        return;
      }
      link = l;
    }
    if (l.isLost()) {
      lost(l, l.lossCause());
    } else if (state == ConnectionState.RECONNECTED) {
      resubscribe().whenComplete((x, e) -> notifyState(state, null));
    } else {
      notifyState(state, null);
    }
  }

  private void lost(Link l, Throwable cause) {
    synchronized (lock) {
      if (link != l || closed) {
        return;
      }
      link = null;
    }
    LOG.log(Level.INFO, "connection to " + uri + " lost: " + cause);
    failPending(new ConnectionLostException("connection lost: " + cause.getMessage(), cause));
    notifyState(ConnectionState.DISCONNECTED, cause);
    if (options.reconnect()) {
      scheduleReconnect(0);
    }
  }

  private void failPending(ConnectionLostException e) {
    calls.failAll(e);
    acks.failAll(e);
  }

  private void scheduleReconnect(int attempt) {
    if (closed) {
      return;
    }
    Duration delay = backoff.delay(attempt);
    try {
      timer.schedule(() -> reconnect(attempt), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closed meanwhile
    }
  }

  private void reconnect(int attempt) {
    open()
        .whenComplete(
            (l, e) -> {
              if (e != null) {
                LOG.log(Level.DEBUG, "reconnect attempt " + attempt + " failed: " + e);
                scheduleReconnect(attempt + 1);
              } else {
                attach(l, ConnectionState.RECONNECTED);
              }
            });
  }

  /** Sends SUB again for every ACKed subscription; completes when all are answered. */
  private CompletableFuture<Void> resubscribe() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Key key : subscriptions.activeKeys()) {
      all.add(
          request(new Sub(MsgIds.next(), key.channel(), key.pattern()))
              .whenComplete(
                  (r, e) -> {
                    if (e != null) {
                      LOG.log(Level.WARNING, "could not subscribe again to " + key + ": " + e);
                    }
                  }));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  private void notifyState(ConnectionState state, Throwable cause) {
    dispatcher.runOnDelivery(() -> options.connectionListener().onStateChange(state, cause));
  }

  private static ScheduledThreadPoolExecutor sharedTimer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(1, daemon("juggler-client-timer"));
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
