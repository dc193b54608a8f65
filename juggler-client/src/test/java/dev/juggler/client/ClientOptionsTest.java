package dev.juggler.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.protocol.message.MsgType;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

  @Test
  void withersLeaveTheOriginalAlone() {
    ClientOptions d = ClientOptions.defaults();
    ClientOptions o = d.header("Authorization", "Bearer x").header("X-A", "1").reconnect(true);
    assertFalse(d.reconnect());
    assertTrue(d.headers().isEmpty());
    assertTrue(o.reconnect());
    assertEquals(List.of("Authorization", "X-A"), List.copyOf(o.headers().keySet()));
    assertEquals(Map.of("Authorization", "Bearer x", "X-A", "1"), o.headers());
  }

  @Test
  void onlyRequestTypesMayBeAllowed() {
    assertEquals(
        EnumSet.of(MsgType.CALL, MsgType.PUB),
        ClientOptions.defaults()
            .allowedMessages(EnumSet.of(MsgType.PUB, MsgType.CALL))
            .allowedMessages());
    assertThrows(
        IllegalArgumentException.class,
        () -> ClientOptions.defaults().allowedMessages(EnumSet.of(MsgType.ACK)));
  }

  @Test
  void delaysAndTimeoutsMustMakeSense() {
    ClientOptions d = ClientOptions.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.ackTimeout(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> d.reconnect(true, Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }

  @Test
  void sharedHttpClientAndListenerExecutorAreKeptByLaterWithers() {
    HttpClient http = HttpClient.newHttpClient();
    Executor direct = Runnable::run;
    ClientOptions d = ClientOptions.defaults();
    ClientOptions o = d.httpClient(http).listenerExecutor(direct).reconnect(true).header("A", "1");
    assertNull(d.httpClient());
    assertNull(d.listenerExecutor());
    assertSame(http, o.httpClient());
    assertSame(direct, o.listenerExecutor());
    assertTrue(o.reconnect());
    assertThrows(NullPointerException.class, () -> d.httpClient(null));
  }
}
