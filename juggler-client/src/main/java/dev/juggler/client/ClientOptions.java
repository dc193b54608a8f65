package dev.juggler.client;

import dev.juggler.core.message.MsgType;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
  private final Set<MsgType> allowed;
  private final Map<String, String> headers;
  private final Duration connectTimeout;
  private final Duration ackTimeout;
  private final boolean reconnect;
  private final Duration reconnectMinDelay;
  private final Duration reconnectMaxDelay;
  private final ConnectionListener connectionListener;

  private ClientOptions(
      Set<MsgType> allowed,
      Map<String, String> headers,
      Duration connectTimeout,
      Duration ackTimeout,
      boolean reconnect,
      Duration reconnectMinDelay,
      Duration reconnectMaxDelay,
      ConnectionListener connectionListener) {
    this.allowed = allowed;
    this.headers = headers;
    this.connectTimeout = connectTimeout;
    this.ackTimeout = ackTimeout;
    this.reconnect = reconnect;
    this.reconnectMinDelay = reconnectMinDelay;
    this.reconnectMaxDelay = reconnectMaxDelay;
    this.connectionListener = connectionListener;
  }

  /**
   * All message types allowed, no extra headers, 5 s connect timeout, 10 s ack timeout, no
   * reconnect (when turned on: backoff from 100 ms up to 10 s), no connection listener.
   */
  public static ClientOptions defaults() {
    return new ClientOptions(
        Set.of(),
        Map.of(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        false,
        Duration.ofMillis(100),
        Duration.ofSeconds(10),
        (state, cause) -> {});
  }

  /**
   * The request types this connection may send, announced in the {@code Juggler-Allowed-Messages}
   * header; the server closes the connection when it sends anything else.
   *
   * @param types requests types ({@code CALL}, {@code PUB}, {@code SUB}, {@code UNSB}); empty for
   *     all (no header)
   */
  public ClientOptions allowedMessages(Set<MsgType> types) {
    Set<MsgType> copy = types.isEmpty() ? Set.of() : EnumSet.copyOf(types);
    for (MsgType t : copy) {
      if (!t.isRead()) {
        throw new IllegalArgumentException(t + " is not a request type");
      }
    }
    return new ClientOptions(
        Collections.unmodifiableSet(copy),
        headers,
        connectTimeout,
        ackTimeout,
        reconnect,
        reconnectMinDelay,
        reconnectMaxDelay,
        connectionListener);
  }

  /** Adds a handshake header, such as {@code Authorization}; sent again on every reconnect. */
  public ClientOptions header(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new ClientOptions(
        allowed,
        Collections.unmodifiableMap(copy),
        connectTimeout,
        ackTimeout,
        reconnect,
        reconnectMinDelay,
        reconnectMaxDelay,
        connectionListener);
  }

  /** How long the WebSocket handshake may take. */
  public ClientOptions connectTimeout(Duration timeout) {
    return new ClientOptions(
        allowed,
        headers,
        positive(timeout),
        ackTimeout,
        reconnect,
        reconnectMinDelay,
        reconnectMaxDelay,
        connectionListener);
  }

  /** How long a PUB, SUB or UNSB waits for its ACK or NACK before it fails. */
  public ClientOptions ackTimeout(Duration timeout) {
    return new ClientOptions(
        allowed,
        headers,
        connectTimeout,
        positive(timeout),
        reconnect,
        reconnectMinDelay,
        reconnectMaxDelay,
        connectionListener);
  }

  /**
   * Whether to reconnect after a lost connection, with exponential backoff and jitter between
   * {@code minDelay} and {@code maxDelay}, then subscribe again to every active subscription.
   */
  public ClientOptions reconnect(boolean on, Duration minDelay, Duration maxDelay) {
    if (positive(maxDelay).compareTo(positive(minDelay)) < 0) {
      throw new IllegalArgumentException("maxDelay < minDelay");
    }
    return new ClientOptions(
        allowed, headers, connectTimeout, ackTimeout, on, minDelay, maxDelay, connectionListener);
  }

  /** Like {@link #reconnect(boolean, Duration, Duration)} with the current delays. */
  public ClientOptions reconnect(boolean on) {
    return reconnect(on, reconnectMinDelay, reconnectMaxDelay);
  }

  /** The listener told about connection state changes. */
  public ClientOptions connectionListener(ConnectionListener listener) {
    return new ClientOptions(
        allowed,
        headers,
        connectTimeout,
        ackTimeout,
        reconnect,
        reconnectMinDelay,
        reconnectMaxDelay,
        Objects.requireNonNull(listener, "listener"));
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

  private static Duration positive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("must be positive: " + d);
    }
    return d;
  }
}
