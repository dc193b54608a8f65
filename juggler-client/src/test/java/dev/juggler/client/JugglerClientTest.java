package dev.juggler.client;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JugglerClientTest {

  @Test
  void connectingToNothingFailsWithAJugglerException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI nowhere = URI.create("ws://127.0.0.1:" + port + "/ws");
    ClientOptions options = ClientOptions.defaults().connectTimeout(Duration.ofSeconds(2));
    assertThrows(JugglerException.class, () -> JugglerClient.connect(nowhere, options));
  }
}
