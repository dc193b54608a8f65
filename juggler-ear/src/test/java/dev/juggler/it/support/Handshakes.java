package dev.juggler.it.support;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** Handshakes the server refuses. */
public final class Handshakes {
  private Handshakes() {}

  /** Runs a connect that must fail its handshake; returns the server's HTTP response. */
  public static HttpResponse<?> refused(Supplier<WsClient> connect) {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> {
              try (WsClient c = connect.get()) {
                // connected: assertThrows reports it
              }
            });
    if (!(e.getCause() instanceof WebSocketHandshakeException refused)) {
      throw new AssertionError("not a refused handshake", e);
    }
    return refused.getResponse();
  }
}
