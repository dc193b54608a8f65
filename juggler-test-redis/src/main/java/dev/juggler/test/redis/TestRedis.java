package dev.juggler.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;

/**
 * A private Redis server for tests, on a free loopback port that it keeps across {@link #stop()}
 * and {@link #start()}.
 *
 * <p>Thread-safe. Start one with {@link #launch()}, or let {@link RedisExtension} share one across
 * a test run. Never skips: when no way to run Redis works, {@link #launch()} throws an exception
 * that lists every way tried and why it failed.
 */
public final class TestRedis implements AutoCloseable {

  /** System property that forces one way to run Redis; see {@link Mode}. */
  public static final String MODE_PROPERTY = "juggler.test.redis";

  /** How long a starting server may take to answer PING. */
  private static final long READY_TIMEOUT_MS = 30_000;

  /** How Redis is run; the value of {@value #MODE_PROPERTY} in lower case. */
  public enum Mode {
    /** The first of the other three that works, in their declaration order. */
    AUTO,
    /** A {@code redis:7} container; needs Docker. */
    TESTCONTAINERS,
    /** The {@code redis-server} found on the {@code PATH}. */
    BINARY,
    /** The Redis 6.2 binary shipped in {@code com.github.codemonstur:embedded-redis}. */
    EMBEDDED;

    /** The mode named by {@value #MODE_PROPERTY}, {@link #AUTO} when it is not set. */
    public static Mode fromSystemProperty() {
      String value = System.getProperty(MODE_PROPERTY, "auto").trim();
      try {
        return valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            MODE_PROPERTY + "=" + value + " is none of auto, testcontainers, binary, embedded", e);
      }
    }
  }

  private final Mode mode;
  private final ServerBackend backend;
  private String version;
  private boolean running;
  private boolean closed;

  private TestRedis(Mode mode, ServerBackend backend) {
    this.mode = mode;
    this.backend = backend;
  }

  /**
   * Starts a server the way {@value #MODE_PROPERTY} says ({@code auto} by default) and returns once
   * it answers PING.
   *
   * @throws IllegalStateException when no way worked; the message says what was tried and why each
   *     failed
   */
  public static TestRedis launch() {
    return launch(Mode.fromSystemProperty());
  }

  /** Like {@link #launch()}, with the way given instead of read from the system property. */
  public static TestRedis launch(Mode mode) {
    return Launcher.launch(mode);
  }

  /** Starts {@code backend} and waits for it; the caller destroys the backend if this throws. */
  static TestRedis started(Mode mode, ServerBackend backend) throws Exception {
    TestRedis redis = new TestRedis(mode, backend);
    redis.startAndWait();
    redis.version = redis.readVersion();
    return redis;
  }

  /** The way this server was started; never {@link Mode#AUTO}. */
  public Mode mode() {
    return mode;
  }

  /** The address to connect to, {@code 127.0.0.1}. */
  public String host() {
    return backend.host();
  }

  /** The port, the same for the server's whole life. */
  public int port() {
    return backend.port();
  }

  /** {@code redis://127.0.0.1:PORT}. */
  public URI uri() {
    return URI.create("redis://" + host() + ":" + port());
  }

  /** The server's version from {@code INFO server}, e.g. {@code 7.0.15}. */
  public String version() {
    return version;
  }

  /** Whether the server is up (between a start and a stop). */
  public synchronized boolean isRunning() {
    return running;
  }

  /**
   * Stops the server to simulate an outage; clients see their connections close and new ones
   * refused. Does nothing when it is already stopped.
   */
  public synchronized void stop() {
    ensureOpen();
    if (running) {
      running = false;
      backend.stop();
    }
  }

  /**
   * Starts the server again on the same port, empty, and returns once it answers PING. Does nothing
   * when it is running.
   *
   * @throws IllegalStateException when it does not come up
   */
  public synchronized void start() {
    ensureOpen();
    if (!running) {
      try {
        startAndWait();
      } catch (IllegalStateException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("could not restart Redis on port " + port(), e);
      }
    }
  }

  /**
   * Freezes the server with SIGSTOP, to simulate a stalled server or a network that holds packets:
   * connections stay open, commands are accepted by the kernel and wait, unanswered, until {@link
   * #thaw()}. Only for a server run as a process of this machine.
   *
   * @throws UnsupportedOperationException when Redis runs in a container
   */
  public synchronized void freeze() {
    ensureOpen();
    backend.signal("STOP");
  }

  /** Lets a {@link #freeze() frozen} server go on (SIGCONT): it then runs what waited. */
  public synchronized void thaw() {
    ensureOpen();
    backend.signal("CONT");
  }

  /**
   * Kills the server with SIGKILL (a crash: no shutdown, connections reset) and returns once it is
   * gone; {@link #start()} starts it again, empty, on the same port.
   *
   * @throws UnsupportedOperationException when Redis runs in a container
   */
  public synchronized void crash() {
    ensureOpen();
    if (running) {
      running = false;
      backend.signal("KILL");
    }
  }

  /** The server process's id, or -1 when Redis does not run as a process of this machine. */
  public long pid() {
    return backend.pid();
  }

  /** Deletes every key of every database. */
  public void flushAll() {
    try {
      Resp.command(host(), port(), "FLUSHALL");
    } catch (IOException e) {
      throw new UncheckedIOException("FLUSHALL failed on " + uri(), e);
    }
  }

  /** Stops the server for good and removes its files; closing twice is harmless. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      running = false;
      backend.destroy();
    }
  }

  String describe() {
    return backend.describe();
  }

  @Override
  public String toString() {
    return "TestRedis[" + uri() + ", " + version + ", " + backend.describe() + "]";
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this TestRedis is closed");
    }
  }

  private void startAndWait() throws Exception {
    backend.start();
    long deadline = System.nanoTime() + READY_TIMEOUT_MS * 1_000_000;
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!backend.isAlive()) {
        throw failure("exited before answering PING", last);
      }
      try {
        if ("PONG".equals(Resp.command(host(), port(), "PING"))) {
          running = true;
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(20); // polling a child process: there is nothing to wait on
    }
    backend.stop();
    throw failure("did not answer PING within " + READY_TIMEOUT_MS + " ms", last);
  }

  private IllegalStateException failure(String what, Exception cause) {
    String output = backend.diagnostics();
    return new IllegalStateException(
        backend.describe()
            + " on port "
            + port()
            + " "
            + what
            + (output.isEmpty() ? "" : "; its output ends with:\n" + output),
        cause);
  }

  private String readVersion() throws IOException {
    String info = Resp.command(host(), port(), "INFO", "server");
    for (String line : info.split("\r\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring("redis_version:".length()).trim();
      }
    }
    return "unknown";
  }
}
