package dev.juggler.it.support;

import dev.juggler.test.redis.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A Juggler server or callee process started from one of the build's runnable jars ({@code
 * target/juggler.jar}, {@code target/juggler-callee.jar}), or a server of the build's Liberty
 * installation ({@code target/liberty/wlp/bin/server run jugglerExample}), with settings given as
 * environment variables. Its output is kept (and copied to {@code target/it-processes/<name>.log})
 * so that tests can wait for a log line.
 *
 * <p>A jar's server runs with {@code src/run/juggler.sh}, which unpacks the jar into a directory
 * and starts it there with {@code bin/server run}. Each such directory serves one process at a time
 * and is kept for the next start of the same jar, which then reuses Liberty's work area (its
 * resolved features and caches) and unpacks nothing: on two CPUs that takes seconds off each of the
 * suite's starts. A server of the installation writes its logs and work area into a fresh directory
 * of its own. ({@code java -jar} itself is what the conformance check runs.)
 *
 * <p>Thread-safe. {@link #close()} stops the process (SIGTERM, then SIGKILL after {@link
 * #STOP_WAIT}) and removes its directory; {@link #kill()} ends it at once, as a crash would. The
 * signals go to the process's descendants: {@code bin/server run} runs the server's JVM as a child
 * of a shell script that does not pass them on.
 */
public final class JugglerProcess implements AutoCloseable {
  /**
   * The longest a process may take to print a line it prints while it starts (Liberty's {@code
   * CWWKF0011I}, Juggler's own start lines). Only an upper bound against a hung start: a start is
   * judged by the process, and a process that exits fails the wait at once. On a loaded machine a
   * start took over 60 s, so the default is generous; {@code -Djuggler.it.start-wait=<seconds>}
   * sets it.
   */
  public static final Duration START_WAIT =
      Duration.ofSeconds(Long.getLong("juggler.it.start-wait", 300));

  public static final Duration STOP_WAIT = Duration.ofSeconds(20);

  /**
   * JVM options of the processes ({@code -Djuggler.it.process-jvm-options=…}; empty for none). By
   * default C1 only and the serial collector: these processes live seconds, and on 2 CPUs a start
   * took half the CPU time with them (12 s instead of 26 s until ready), C2 and parallel GC threads
   * competing with the start itself. Nothing a test checks depends on the JIT or the collector.
   */
  private static final List<String> JVM_OPTIONS =
      Stream.of(
              System.getProperty(
                      "juggler.it.process-jvm-options", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
                  .trim()
                  .split("\\s+"))
          .filter(o -> !o.isEmpty())
          .toList();

  private static final Path DIR = Paths.get("target", "it-processes");

  /** Unpacked jars that no process uses now, by jar; see the class comment. Guarded by itself. */
  private static final Map<Path, Deque<Path>> UNPACKED = new HashMap<>();

  private final String name;
  private final Path home;
  private final Process process;
  private final int httpPort;
  private final List<String> lines = new ArrayList<>();
  private boolean outputEnded; // guarded by lines

  /** The unpacked jar it runs in, given back once it has ended; {@code null} for none. */
  private final Unpacked unpacked;

  private final AtomicBoolean released = new AtomicBoolean();

  /** A jar unpacked into {@code dir}. */
  private record Unpacked(Path jar, Path dir) {}

  private JugglerProcess(
      String name, List<String> command, Unpacked unpacked, int port, Map<String, String> env)
      throws IOException {
    this.name = name;
    this.unpacked = unpacked;
    Files.createDirectories(DIR);
    this.home = Files.createTempDirectory(DIR, name + "-").toAbsolutePath();
    this.httpPort = port;
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
    if (unpacked == null) {
      // The server's logs and work area, away from the installation.
      pb.environment().put("WLP_OUTPUT_DIR", home.resolve("wlp-output").toString());
    }
    // the tests' JDK, for the server and for the jar tool juggler.sh unpacks with
    String javaHome = System.getProperty("java.home");
    pb.environment().put("JAVA_HOME", javaHome);
    pb.environment()
        .merge("PATH", Paths.get(javaHome, "bin").toString(), (path, bin) -> bin + ":" + path);
    pb.environment().put("JVM_ARGS", String.join(" ", JVM_OPTIONS));
    pb.environment().put("JUGGLER_HTTP_HOST", "127.0.0.1");
    pb.environment().put("JUGGLER_HTTP_PORT", Integer.toString(httpPort));
    pb.environment().putAll(env);
    this.process = pb.start();
    System.out.printf("%s: started %s, pid %d%n", name, command, process.pid());
    Thread reader = new Thread(this::readOutput, "output of " + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code target/juggler.jar}: a server node, with its own callees unless disabled. */
  public static JugglerProcess server(String name, String... envKeyValues) {
    return start(name, jar("juggler.it.server.jar", "target/juggler.jar"), 0, envKeyValues);
  }

  /**
   * Starts {@code target/juggler.jar} on a given HTTP port, such as the port of a server that was
   * stopped (to test a client coming back to the same address).
   */
  public static JugglerProcess serverOnPort(String name, int port, String... envKeyValues) {
    return start(name, jar("juggler.it.server.jar", "target/juggler.jar"), port, envKeyValues);
  }

  /** Starts {@code target/juggler-callee.jar}: callees alone, no web module. */
  public static JugglerProcess callees(String name, String... envKeyValues) {
    return start(name, jar("juggler.it.callee.jar", "target/juggler-callee.jar"), 0, envKeyValues);
  }

  /**
   * Starts {@code serverName} of the build's Liberty installation ({@code target/liberty/wlp}) in
   * the foreground, as {@code bin/server run} does, such as {@code jugglerExample}: the example
   * project's WAR with its own callees.
   */
  public static JugglerProcess libertyServer(
      String name, String serverName, String... envKeyValues) {
    Path wlp = Paths.get(System.getProperty("juggler.it.wlp.home", "target/liberty/wlp"));
    Path script = wlp.resolve("bin").resolve("server");
    if (!Files.isDirectory(wlp.resolve("usr").resolve("servers").resolve(serverName))) {
      throw new IllegalStateException(
          serverName + " not found in " + wlp + ": run the build's pre-integration-test phase");
    }
    List<String> command = List.of(script.toAbsolutePath().toString(), "run", serverName);
    return start(name, command, null, 0, envKeyValues);
  }

  /**
   * Starts the server of {@code jar} with {@code src/run/juggler.sh}, in a directory of its own
   * that the script unpacks the jar into, or found unpacked from before; port 0 picks a free one.
   */
  private static JugglerProcess start(String name, Path jar, int port, String... envKeyValues) {
    Path script = Paths.get("..", "src", "run", "juggler.sh").toAbsolutePath().normalize();
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException(
          script + " not found: run the tests from the juggler-ear module");
    }
    Unpacked unpacked;
    try {
      unpacked = unpacked(jar);
    } catch (IOException e) {
      throw new UncheckedIOException("no directory for " + jar, e);
    }
    List<String> command = List.of(script.toString(), unpacked.jar().toString());
    String[] withDir = Arrays.copyOf(envKeyValues, envKeyValues.length + 2);
    withDir[envKeyValues.length] = "WLP_JAR_EXTRACT_DIR";
    withDir[envKeyValues.length + 1] = unpacked.dir().toString();
    return start(name, command, unpacked, port, withDir);
  }

  private static JugglerProcess start(
      String name, List<String> command, Unpacked unpacked, int port, String... envKeyValues) {
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < envKeyValues.length; i += 2) {
      env.put(envKeyValues[i], envKeyValues[i + 1]);
    }
    try {
      return new JugglerProcess(name, command, unpacked, port == 0 ? freePort() : port, env);
    } catch (IOException e) {
      if (unpacked != null) {
        giveBack(unpacked);
      }
      throw new UncheckedIOException("could not start " + name + ": " + command, e);
    }
  }

  /**
   * A directory for {@code jar} that no process uses: one kept from before (the jar unpacked in
   * it), or a new, empty one (which juggler.sh unpacks the jar into).
   */
  private static Unpacked unpacked(Path jar) throws IOException {
    Path key = jar.toAbsolutePath().normalize();
    synchronized (UNPACKED) {
      Deque<Path> free = UNPACKED.get(key);
      if (free != null && !free.isEmpty()) {
        return new Unpacked(key, free.pop());
      }
    }
    String base = key.getFileName().toString().replaceFirst("\\.jar$", "");
    Path parent = Files.createDirectories(DIR.resolve("unpacked"));
    return new Unpacked(key, Files.createTempDirectory(parent, base + "-").toAbsolutePath());
  }

  /** Keeps {@code unpacked} for the next start of its jar. */
  private static void giveBack(Unpacked unpacked) {
    synchronized (UNPACKED) {
      UNPACKED.computeIfAbsent(unpacked.jar(), j -> new ArrayDeque<>()).push(unpacked.dir());
    }
  }

  /**
   * Gives its unpacked jar back once every process it started has ended: the next server there must
   * not find this one's still holding its work area. One that does not end is left to the build's
   * clean, its directory unused.
   */
  private void release(List<ProcessHandle> children) {
    if (unpacked == null || !released.compareAndSet(false, true)) {
      return;
    }
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        return;
      }
    }
    if (!process.isAlive()) {
      giveBack(unpacked);
    }
  }

  /** The port its HTTP endpoint listens on (servers only), on 127.0.0.1. */
  public int httpPort() {
    return httpPort;
  }

  /** Its WebSocket endpoint. */
  public URI endpoint() {
    return URI.create("ws://127.0.0.1:" + httpPort + "/ws");
  }

  /**
   * Waits until Liberty says the server is started, with its applications, for at most {@link
   * #START_WAIT}. When it does not (it exited, or hangs), stops it before failing, so that a caller
   * may start the next process only once this one is up: {@code try (JugglerProcess a =
   * server(…).awaitStarted(); JugglerProcess b = server(…).awaitStarted())} leaves nothing running.
   */
  public JugglerProcess awaitStarted() {
    return awaitStarted(START_WAIT);
  }

  /**
   * As {@link #awaitStarted()}, for a server whose first start does more (a fresh Liberty work area
   * resolves its features and caches from scratch): waits for the longer of {@code wait} and {@link
   * #START_WAIT}.
   */
  public JugglerProcess awaitStarted(Duration wait) {
    try {
      awaitLine("CWWKF0011I", wait.compareTo(START_WAIT) > 0 ? wait : START_WAIT);
      return this;
    } catch (AssertionError e) {
      close();
      throw e;
    }
  }

  /**
   * Waits for an output line containing {@code text}, printed since the start.
   *
   * @return the line
   * @throws AssertionError when none comes within {@code wait}, or at once when the process ends
   *     without printing one
   */
  public String awaitLine(String text, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lines) {
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (lines.get(seen).contains(text)) {
            return lines.get(seen);
          }
        }
        if (outputEnded) { // every line it printed is in lines: it will print no more
          throw new AssertionError(
              name
                  + ": ended its output ("
                  + (process.isAlive() ? "still running" : "exit status " + process.exitValue())
                  + ") with no line with \""
                  + text
                  + "\"; output:\n"
                  + output());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              name + ": no line with \"" + text + "\" within " + wait + "; output:\n" + output());
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  /** Everything it printed so far. */
  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** Ends it at once with SIGKILL, as a crash would; no shutdown hook runs. */
  public void kill() {
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    awaitExit();
    release(children);
  }

  /** Sends it SIGTERM, as an orchestrator stopping it would, and returns at once. */
  public void terminate() {
    signalTerm();
  }

  /**
   * SIGTERM to the JVMs the process started (the script then ends with its server), or to the
   * process itself when it started none.
   */
  private void signalTerm() {
    List<ProcessHandle> children = process.descendants().toList();
    if (children.isEmpty()) {
      process.destroy();
    } else {
      children.forEach(ProcessHandle::destroy);
    }
  }

  /**
   * Waits for it to end.
   *
   * @return its exit status
   * @throws AssertionError when it is still running after {@code wait}
   */
  public int awaitExit(Duration wait) throws InterruptedException {
    if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " still running after " + wait + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** Stops it (SIGTERM, SIGKILL after {@link #STOP_WAIT}) and removes its directory. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    if (process.isAlive()) {
      signalTerm();
      awaitExit();
    }
    release(children);
    deleteHome();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void readOutput() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer log = Files.newBufferedWriter(DIR.resolve(name + ".log"))) {
      String line;
      while ((line = in.readLine()) != null) {
        log.write(line + "\n");
        log.flush();
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process ended; what it printed is kept
    } finally {
      synchronized (lines) {
        outputEnded = true;
        lines.notifyAll();
      }
    }
  }

  private void deleteHome() {
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: target/ is cleaned by the build
    }
  }

  private static Path jar(String property, String fallback) {
    Path jar = Paths.get(System.getProperty(property, fallback));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " not found: run the build's package phase first");
    }
    return jar;
  }

  /**
   * A loopback port free now and not reserved (the Arquillian-managed server's, which this module's
   * failsafe configuration reserves); a process binding it a moment later may in rare cases lose a
   * race.
   */
  public static int freePort() {
    return FreePorts.pick();
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", port " + httpPort + ")";
  }
}
