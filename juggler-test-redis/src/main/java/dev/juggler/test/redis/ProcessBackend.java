package dev.juggler.test.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A {@code redis-server} executable run as a child process, without persistence. */
final class ProcessBackend implements ServerBackend {

  private static final String HOST = "127.0.0.1";

  /** Processes to kill if the JVM exits without closing them (a test run that was interrupted). */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "juggler-test-redis-reaper"));
  }

  private final Path executable;
  private final String label;
  private final int port;
  private final Path dir;
  private final Path log;
  private final List<String> extraArgs;
  private Process process;

  private ProcessBackend(
      Path executable, String label, int port, Path dir, List<String> extraArgs) {
    this.executable = executable;
    this.label = label;
    this.port = port;
    this.dir = dir;
    this.log = dir.resolve("redis.log");
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** A backend on a fresh free port, with its own working directory. */
  static ProcessBackend create(Path executable, String label) throws IOException {
    return create(executable, label, FreePorts.pick(), List.of());
  }

  /**
   * A backend on {@code port}, with its own working directory (where relative paths in {@code
   * extraArgs} point) and more {@code redis-server} options.
   */
  static ProcessBackend create(Path executable, String label, int port, List<String> extraArgs)
      throws IOException {
    return new ProcessBackend(
        executable, label, port, Files.createTempDirectory("juggler-test-redis-"), extraArgs);
  }

  @Override
  public void start() throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                executable.toString(),
                "--bind",
                HOST,
                "--port",
                Integer.toString(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                dir.toString()));
    command.addAll(extraArgs);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = builder.start();
    LIVE.add(process);
  }

  @Override
  public void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      LIVE.remove(p);
    }
  }

  @Override
  public void destroy() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + dir, e);
    }
  }

  @Override
  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  @Override
  public void signal(String signal) {
    Process p = process;
    if (p == null) {
      throw new IllegalStateException(describe() + " is not running");
    }
    if (signal.equals("KILL")) {
      // Forcibly is SIGKILL on Unix; waited for, so that the port is free when this returns.
      process = null;
      try {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        LIVE.remove(p);
      }
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(p.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -s " + signal + " " + p.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling Redis", e);
    }
  }

  @Override
  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String describe() {
    return label + " (" + executable + ")";
  }

  @Override
  public String diagnostics() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
