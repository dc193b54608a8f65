package dev.juggler.client.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One juggler.0 WebSocket connection: writes frames one at a time (the JDK's WebSocket allows only
 * one outstanding send) and hands each complete text frame to its {@link Handler}.
 *
 * <p>Thread-safe. The handler is called on the HttpClient's threads, one call at a time, frames in
 * the order received; {@link Handler#onLost} is called at most once.
 */
public final class Link {

  /** Receives what comes in on a link. */
  public interface Handler {
    /** One complete text frame. */
    void onFrame(Link link, String frame);

    /** The connection closed or failed; nothing more comes on this link. */
    void onLost(Link link, Throwable cause);
  }

  private final Handler handler;
  private final AtomicReference<Throwable> lost = new AtomicReference<>();
  private volatile WebSocket ws;
  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

  private Link(Handler handler) {
    this.handler = handler;
  }

  /**
   * Opens a connection offering subprotocol {@code juggler.0}.
   *
   * @param headers handshake headers, in order
   */
  public static CompletableFuture<Link> open(
      HttpClient http, URI uri, Map<String, String> headers, Duration timeout, Handler handler) {
    Link link = new Link(handler);
    WebSocket.Builder b =
        http.newWebSocketBuilder().connectTimeout(timeout).subprotocols("juggler.0");
    headers.forEach(b::header);
    return b.buildAsync(uri, link.new Listener())
        .thenApply(
            ws -> {
              // onOpen may not have run yet when the handshake's future completes
              link.ws = ws;
              if (!"juggler.0".equals(ws.getSubprotocol())) {
                ws.abort();
                throw new IllegalStateException("the server did not accept subprotocol juggler.0");
              }
              return link;
            });
  }

  /** Writes one text frame after the ones before it; fails when the connection is gone. */
  public synchronized CompletableFuture<?> send(String frame) {
    CompletableFuture<?> f = tail.handle((r, e) -> null).thenCompose(x -> ws.sendText(frame, true));
    tail = f;
    return f;
  }

  /** Whether the connection was lost already. */
  public boolean isLost() {
    return lost.get() != null;
  }

  /** Why it was lost, or {@code null}. */
  public Throwable lossCause() {
    return lost.get();
  }

  /** Sends a normal close and drops the connection if the server does not answer within 2 s. */
  public void close() {
    WebSocket w = ws;
    w.sendClose(WebSocket.NORMAL_CLOSURE, "")
        .orTimeout(2, TimeUnit.SECONDS)
        .whenComplete((r, e) -> w.abort());
  }

  private void lose(Throwable cause) {
    if (lost.compareAndSet(null, cause)) {
      handler.onLost(this, cause);
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      ws = webSocket;
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        handler.onFrame(Link.this, frame);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      webSocket.abort();
      lose(new IllegalStateException("binary frame from the server"));
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
      lose(new IllegalStateException("closed by the server: " + code + " " + reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      lose(error);
    }
  }
}
