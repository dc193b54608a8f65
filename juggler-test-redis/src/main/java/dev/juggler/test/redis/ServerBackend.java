package dev.juggler.test.redis;

/**
 * One way of running a Redis server on a loopback port that stays the same across restarts.
 *
 * <p>Not thread-safe: {@link TestRedis} serializes the calls.
 */
interface ServerBackend {

  /**
   * Starts the server, or starts it again after {@link #stop()}; does not wait for it to answer.
   */
  void start() throws Exception;

  /** Stops the server, keeping what it needs to start again on the same port. */
  void stop();

  /** Stops the server for good and removes what it left behind. */
  void destroy();

  /**
   * Sends a signal ({@code "STOP"}, {@code "CONT"}, {@code "KILL"}) to the server process.
   *
   * @throws UnsupportedOperationException when this way of running Redis has no process here
   */
  default void signal(String signal) {
    throw new UnsupportedOperationException(describe() + " cannot be sent signals");
  }

  /** The server process's id, or -1 when it is not a process of this machine. */
  default long pid() {
    return -1;
  }

  /** False once the server process is known to have exited. */
  boolean isAlive();

  String host();

  int port();

  /** Says how the server is run, for logs and error messages. */
  String describe();

  /** The last lines the server printed, or an empty string; for error messages. */
  String diagnostics();
}
