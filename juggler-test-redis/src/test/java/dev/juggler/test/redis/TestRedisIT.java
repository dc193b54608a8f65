package dev.juggler.test.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class TestRedisIT {

  private final TestRedis redis;

  TestRedisIT(TestRedis redis) {
    this.redis = redis;
  }

  @Test
  void sharedServerAnswersAndIsAdvertised(TestRedis sameRedis) throws IOException {
    assertSame(redis, sameRedis);
    assertEquals("redis://127.0.0.1:" + redis.port(), redis.uri().toString());
    assertEquals(redis.uri().toString(), System.getProperty(RedisExtension.URL_PROPERTY));
    assertTrue(redis.version().matches("\\d+\\.\\d+\\.\\d+"), redis.version());
    assertEquals("+PONG", inline(redis.port(), "PING"));
  }

  @Test
  void flushAllEmptiesTheServer() throws IOException {
    assertEquals("+OK", inline(redis.port(), "SET juggler-test-key 1"));
    redis.flushAll();
    assertEquals(":0", inline(redis.port(), "DBSIZE"));
  }

  @Test
  void stopAndStartKeepThePort() throws IOException {
    int port = redis.port();
    redis.stop();
    try {
      assertTrue(!redis.isRunning());
      assertThrows(IOException.class, () -> inline(port, "PING"));
    } finally {
      redis.start();
    }
    assertEquals(port, redis.port());
    assertEquals("+PONG", inline(port, "PING"));
  }

  @Test
  void aFrozenServerAnswersOnceThawedAndACrashedOneStartsEmpty() throws IOException {
    assertTrue(redis.pid() > 0, "run as a process here");
    redis.freeze();
    try {
      // the kernel still accepts the connection; nobody reads the command
      assertThrows(SocketTimeoutException.class, () -> inline(redis.port(), "PING"));
    } finally {
      redis.thaw();
    }
    assertEquals("+PONG", inline(redis.port(), "PING"));

    assertEquals("+OK", inline(redis.port(), "SET juggler-test-key 1"));
    long pid = redis.pid();
    redis.crash();
    try {
      assertTrue(!redis.isRunning());
      assertThrows(IOException.class, () -> inline(redis.port(), "PING"));
    } finally {
      redis.start();
    }
    assertTrue(redis.pid() != pid, "a new process");
    assertEquals(":0", inline(redis.port(), "DBSIZE"));
  }

  @Test
  void embeddedRedisIsTheLastFallback() throws IOException {
    try (TestRedis embedded = TestRedis.launch(TestRedis.Mode.EMBEDDED)) {
      assertEquals(TestRedis.Mode.EMBEDDED, embedded.mode());
      assertTrue(embedded.version().startsWith("6.2."), embedded.version());
      assertEquals("+PONG", inline(embedded.port(), "PING"));
      embedded.stop();
      assertThrows(IOException.class, () -> inline(embedded.port(), "PING"));
      embedded.start();
      assertEquals("+PONG", inline(embedded.port(), "PING"));
    }
  }

  /** Sends one inline command on a plain socket and returns the first reply line. */
  private static String inline(int port, String command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed");
      }
      return line;
    }
  }
}
