package dev.juggler.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw juggler.0 client on the JDK's WebSocket: sends frames as given and records every frame and
 * the close it receives. Independent of Juggler's own codec, so that tests check the wire format.
 */
public final class WsClient implements AutoCloseable {

  /** The close frame received: code and reason. */
  public record Close(int code, String reason) {}

  private final WebSocket ws;
  private final BlockingQueue<String> frames;
  private final CompletableFuture<Close> closed;
  private final Listener listener;

  private WsClient(WebSocket ws, Listener listener) {
    this.ws = ws;
    this.listener = listener;
    this.frames = listener.frames;
    this.closed = listener.closed;
  }

  /** The server's WebSocket URI, from the port the build gave the test server. */
  public static URI endpoint() {
    return URI.create("ws://127.0.0.1:" + Server.httpPort() + "/ws");
  }

  /** Connects with subprotocol juggler.0 and the given header name/value pairs. */
  public static WsClient connect(String... headers) {
    return connect(List.of("juggler.0"), headers);
  }

  /**
   * Connects to another endpoint (another server's, or this one's with a query string) with
   * subprotocol juggler.0 and the given header name/value pairs.
   */
  public static WsClient connectTo(URI endpoint, String... headers) {
    return connect(endpoint, List.of("juggler.0"), headers);
  }

  /** Connects offering {@code subprotocols} (none when empty). */
  public static WsClient connect(List<String> subprotocols, String... headers) {
    return connect(endpoint(), subprotocols, headers);
  }

  private static WsClient connect(URI endpoint, List<String> subprotocols, String... headers) {
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Close> closed = new CompletableFuture<>();
    WebSocket.Builder b =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Waits.SOON);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (!subprotocols.isEmpty()) {
      b.subprotocols(
          subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
    }
    Listener listener = new Listener(frames, closed);
    WebSocket ws = b.buildAsync(endpoint, listener).join();
    return new WsClient(ws, listener);
  }

  public String subprotocol() {
    return ws.getSubprotocol();
  }

  public void send(String text) {
    ws.sendText(text, true).join();
  }

  /**
   * Sends without waiting for the send to complete (it does not while the server stops reading).
   */
  public CompletableFuture<WebSocket> sendAsync(String text) {
    return ws.sendText(text, true);
  }

  public void sendBinary(byte[] data) {
    ws.sendBinary(ByteBuffer.wrap(data), true).join();
  }

  /** Sends a CALL and returns its UUID. */
  public String call(String uri, String argsJson, Duration timeout) {
    String uuid = UUID.randomUUID().toString();
    send(
        "{\"meta\":{\"type\":1,\"uuid\":\"%s\"},\"payload\":{\"uri\":%s,\"timeout\":%d,\"args\":%s}}"
            .formatted(uuid, quote(uri), timeout.toNanos(), argsJson));
    return uuid;
  }

  /** Sends a PUB and returns its UUID. */
  public String pub(String channel, String argsJson) {
    String uuid = UUID.randomUUID().toString();
    send(
        "{\"meta\":{\"type\":2,\"uuid\":\"%s\"},\"payload\":{\"channel\":%s,\"args\":%s}}"
            .formatted(uuid, quote(channel), argsJson));
    return uuid;
  }

  /** Sends a SUB and returns its UUID. */
  public String sub(String channel, boolean pattern) {
    return subscription(3, channel, pattern);
  }

  /** Sends an UNSB and returns its UUID. */
  public String unsb(String channel, boolean pattern) {
    return subscription(4, channel, pattern);
  }

  private String subscription(int type, String channel, boolean pattern) {
    String uuid = UUID.randomUUID().toString();
    send(
        "{\"meta\":{\"type\":%d,\"uuid\":\"%s\"},\"payload\":{\"channel\":%s,\"pattern\":%b}}"
            .formatted(type, uuid, quote(channel), pattern));
    return uuid;
  }

  /** The next frame, parsed, or {@code null} when none comes within {@code wait}. */
  public JsonObject next(Duration wait) {
    String f = nextRaw(wait);
    return f == null ? null : Json.createReader(new StringReader(f)).readObject();
  }

  /** The next frame as received, or {@code null} when none comes within {@code wait}. */
  public String nextRaw(Duration wait) {
    try {
      return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next frame within {@link Waits#SOON}; fails the test if none comes. */
  public JsonObject next() {
    JsonObject o = next(Waits.SOON);
    if (o == null) {
      throw new AssertionError("no frame within " + Waits.SOON + closeNote());
    }
    return o;
  }

  /** The next {@code n} frames, each within {@link Waits#SOON}. */
  public List<JsonObject> next(int n) {
    List<JsonObject> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(next());
    }
    return list;
  }

  /** The close frame received within {@code wait}, or {@code null}. */
  public Close awaitClose(Duration wait) {
    try {
      return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops reading: no more frames are asked of the connection, so the server's writes back up as
   * with a client that hangs.
   */
  public void stopReading() {
    listener.paused = true;
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  private String closeNote() {
    return closed.isDone() ? " (closed: " + closed.join() + ")" : "";
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
    ws.abort();
  }

  /** A JSON string literal (tests use plain ASCII names). */
  public static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static final class Listener implements WebSocket.Listener {
    private final BlockingQueue<String> frames;
    private final CompletableFuture<Close> closed;
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean paused;

    Listener(BlockingQueue<String> frames, CompletableFuture<Close> closed) {
      this.frames = frames;
      this.closed = closed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      if (!paused) {
        ws.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.complete(new Close(code, reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(new Close(1006, String.valueOf(error)));
    }
  }
}
