package dev.juggler.client;

import dev.juggler.protocol.message.MsgType;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * How a {@link JugglerClient} connects and behaves. Immutable and thread-safe: every {@code with}
 * method returns a new instance.
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.defaults()
 *     .header("Authorization", "Bearer " + token)
 *     .allowedMessages(EnumSet.of(MsgType.CALL))
 *     .reconnect(true);
 * }</pre>
 */
public final class ClientOptions {
  private Set<MsgType> allowed = Set.of();
  private Map<String, String> headers = Map.of();
  private Duration connectTimeout = Duration.ofSeconds(5);
  private Duration ackTimeout = Duration.ofSeconds(10);
  private boolean reconnect;
  private Duration reconnectMinDelay = Duration.ofMillis(100);
  private Duration reconnectMaxDelay = Duration.ofSeconds(10);
  private ConnectionListener connectionListener = (state, cause) -> {};
  private HttpClient httpClient;
  private Executor listenerExecutor;

  private ClientOptions() {}

  private ClientOptions copy() {
    ClientOptions c = new ClientOptions();
    c.allowed = allowed;
    c.headers = headers;
    c.connectTimeout = connectTimeout;
    c.ackTimeout = ackTimeout;
    c.reconnect = reconnect;
    c.reconnectMinDelay = reconnectMinDelay;
    c.reconnectMaxDelay = reconnectMaxDelay;
    c.connectionListener = connectionListener;
    c.httpClient = httpClient;
    c.listenerExecutor = listenerExecutor;
    return c;
  }

  /**
   * All message types allowed, no extra headers, 5 s connect timeout, 10 s ack timeout, no
   * reconnect (when turned on: backoff from 100 ms up to 10 s), no connection listener, an {@link
   * HttpClient} of the client's own.
   */
  public static ClientOptions defaults() {
    return new ClientOptions();
  }

  /**
   * The request types this connection may send, announced in the {@code Juggler-Allowed-Messages}
   * header; the server closes the connection when it sends anything else, so the client refuses
   * other requests itself with an {@code IllegalStateException}.
   *
   * @param types requests types ({@code CALL}, {@code PUB}, {@code SUB}, {@code UNSB}); empty for
   *     all (no header)
   */
  public ClientOptions allowedMessages(Set<MsgType> types) {
    Set<MsgType> set = types.isEmpty() ? Set.of() : EnumSet.copyOf(types);
    for (MsgType t : set) {
      if (!t.isRead()) {
        throw new IllegalArgumentException(t + " is not a request type");
      }
    }
    ClientOptions c = copy();
    c.allowed = Collections.unmodifiableSet(set);
    return c;
  }

  /** Adds a handshake header, such as {@code Authorization}; sent again on every reconnect. */
  public ClientOptions header(String name, String value) {
    Map<String, String> map = new LinkedHashMap<>(headers);
    map.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    ClientOptions c = copy();
    c.headers = Collections.unmodifiableMap(map);
    return c;
  }

  /** How long the WebSocket handshake may take. */
  public ClientOptions connectTimeout(Duration timeout) {
    ClientOptions c = copy();
    c.connectTimeout = positive(timeout);
    return c;
  }

  /** How long a PUB, SUB or UNSB waits for its ACK or NACK before it fails. */
  public ClientOptions ackTimeout(Duration timeout) {
    ClientOptions c = copy();
    c.ackTimeout = positive(timeout);
    return c;
  }

  /**
   * Whether to reconnect after a lost connection, with exponential backoff and jitter between
   * {@code minDelay} and {@code maxDelay}, then subscribe again to every active subscription.
   */
  public ClientOptions reconnect(boolean on, Duration minDelay, Duration maxDelay) {
    if (positive(maxDelay).compareTo(positive(minDelay)) < 0) {
      throw new IllegalArgumentException("maxDelay < minDelay");
    }
    ClientOptions c = copy();
    c.reconnect = on;
    c.reconnectMinDelay = minDelay;
    c.reconnectMaxDelay = maxDelay;
    return c;
  }

  /** Like {@link #reconnect(boolean, Duration, Duration)} with the current delays. */
  public ClientOptions reconnect(boolean on) {
    return reconnect(on, reconnectMinDelay, reconnectMaxDelay);
  }

  /** The listener told about connection state changes. */
  public ClientOptions connectionListener(ConnectionListener listener) {
    ClientOptions c = copy();
    c.connectionListener = Objects.requireNonNull(listener, "listener");
    return c;
  }

  /**
   * The {@link HttpClient} to open connections with, shared by every client given it: one selector
   * thread and one executor for many connections, instead of a set of threads each. Its executor
   * runs the code that reads frames and completes futures; the client does not close it.
   */
  public ClientOptions httpClient(HttpClient client) {
    ClientOptions c = copy();
    c.httpClient = Objects.requireNonNull(client, "client");
    return c;
  }

  /** The allowed request types; empty means all. */
  public Set<MsgType> allowedMessages() {
    return allowed;
  }

  /** The extra handshake headers, in the order they were added. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The handshake timeout. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The ack timeout of PUB, SUB and UNSB. */
  public Duration ackTimeout() {
    return ackTimeout;
  }

  /** Whether the client reconnects after a lost connection. */
  public boolean reconnect() {
    return reconnect;
  }

  /** The first reconnect delay (before jitter). */
  public Duration reconnectMinDelay() {
    return reconnectMinDelay;
  }

  /** The cap of the reconnect delay. */
  public Duration reconnectMaxDelay() {
    return reconnectMaxDelay;
  }

  /** The connection listener; a no-op unless one was set. */
  public ConnectionListener connectionListener() {
    return connectionListener;
  }

  /**
   * Where event and connection listeners run, instead of a thread of the client's own: still one at
   * a time per client and in the order the server sent the events, so that many clients can share a
   * few threads. {@code Runnable::run} runs them on the thread that read the frame.
   */
  public ClientOptions listenerExecutor(Executor executor) {
    ClientOptions c = copy();
    c.listenerExecutor = Objects.requireNonNull(executor, "executor");
    return c;
  }

  /** The listeners' executor, or {@code null} for a thread of the client's own. */
  public Executor listenerExecutor() {
    return listenerExecutor;
  }

  /** The shared {@link HttpClient}, or {@code null} for one of the client's own. */
  public HttpClient httpClient() {
    return httpClient;
  }

  private static Duration positive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("must be positive: " + d);
    }
    return d;
  }
}
