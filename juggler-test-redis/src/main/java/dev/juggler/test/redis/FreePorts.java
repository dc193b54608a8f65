package dev.juggler.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Picks loopback ports nobody listens on. */
final class FreePorts {

  private FreePorts() {}

  /**
   * A port that was free a moment ago. Another process may take it before the server binds it; the
   * launcher then retries with a new one.
   */
  static int pick() {
    return pickOne();
  }

  /**
   * A port {@code p} such that {@code p} and {@code p + offset} were both free a moment ago: a
   * cluster node of Redis before 7 listens on its port plus 10000 for the cluster bus.
   */
  static int pickWithCompanion(int offset) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + ThreadLocalRandom.current().nextInt(65_535 - offset - 20_000);
      if (isFree(port) && isFree(port + offset)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port p with p+" + offset + " free too");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int pickOne() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
