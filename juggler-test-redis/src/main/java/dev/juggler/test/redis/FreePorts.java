package dev.juggler.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/** Picks loopback ports nobody listens on, for private Redis servers and other test servers. */
public final class FreePorts {

  private FreePorts() {}

  /**
   * Ports that are free now and then but taken by a server of the build, listed in the system
   * property {@code juggler.test.reserved-ports} (comma-separated): the end-to-end tests' Liberty
   * server restarts on one fixed port, which a Redis started between two of its runs must not take.
   */
  static final String RESERVED_PORTS = "juggler.test.reserved-ports";

  /**
   * A port that was free a moment ago and is not reserved. Another process may take it before the
   * server binds it; the launcher then retries with a new one.
   */
  public static int pick() {
    return pickAvoiding(reserved(), FreePorts::pickOne);
  }

  /** The first of {@code candidates} that is not in {@code reserved}. */
  static int pickAvoiding(Set<Integer> reserved, IntSupplier candidates) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = candidates.getAsInt();
      if (!reserved.contains(port)) {
        return port;
      }
    }
    throw new IllegalStateException("only reserved ports offered: " + reserved);
  }

  /** The ports of {@link #RESERVED_PORTS}. */
  static Set<Integer> reserved() {
    Set<Integer> ports = new HashSet<>();
    for (String port : System.getProperty(RESERVED_PORTS, "").split(",")) {
      if (!port.isBlank()) {
        ports.add(Integer.parseInt(port.trim()));
      }
    }
    return ports;
  }

  /**
   * A port {@code p} such that {@code p} and {@code p + offset} were both free a moment ago: a
   * cluster node of Redis before 7 listens on its port plus 10000 for the cluster bus.
   */
  static int pickWithCompanion(int offset) {
    Set<Integer> reserved = reserved();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + ThreadLocalRandom.current().nextInt(65_535 - offset - 20_000);
      if (!reserved.contains(port)
          && !reserved.contains(port + offset)
          && isFree(port)
          && isFree(port + offset)) {
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
