package dev.juggler.test.redis;

import dev.juggler.test.redis.TestRedis.Mode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import redis.embedded.core.ExecutableProvider;

/** Tries the ways to run Redis in order and keeps why each one failed. */
final class Launcher {

  private static final Logger LOG = Logger.getLogger(TestRedis.class.getName());

  /** Attempts per process-based way; a port can be taken between picking it and binding it. */
  private static final int PORT_ATTEMPTS = 3;

  private Launcher() {}

  static TestRedis launch(Mode requested) {
    List<Mode> ways =
        requested == Mode.AUTO
            ? List.of(Mode.TESTCONTAINERS, Mode.BINARY, Mode.EMBEDDED)
            : List.of(requested);
    return firstThatStarts(
        "a private Redis",
        requested,
        ways,
        way -> {
          TestRedis redis = launchWith(way);
          LOG.info(
              () ->
                  "Private Redis "
                      + redis.version()
                      + " at "
                      + redis.uri()
                      + " via "
                      + way.name().toLowerCase(Locale.ROOT)
                      + ": "
                      + redis.describe());
          return redis;
        });
  }

  /** Starts something one way; throws when that way does not work here. */
  interface Attempt<T> {
    T start(Mode way) throws Exception;
  }

  /**
   * The first of {@code ways} that starts; when none does, an exception that lists every way tried
   * and why it failed (the causes attached as suppressed exceptions). Never a silent skip.
   */
  static <T> T firstThatStarts(String what, Mode requested, List<Mode> ways, Attempt<T> attempt) {
    List<String> failures = new ArrayList<>();
    List<Throwable> causes = new ArrayList<>();
    for (Mode way : ways) {
      try {
        return attempt.start(way);
      } catch (Exception | LinkageError e) {
        failures.add(way.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage());
        causes.add(e);
      }
    }
    IllegalStateException error =
        new IllegalStateException(
            "Could not start "
                + what
                + " for tests ("
                + TestRedis.MODE_PROPERTY
                + "="
                + requested.name().toLowerCase(Locale.ROOT)
                + "). Tried:\n  - "
                + String.join("\n  - ", failures));
    causes.forEach(error::addSuppressed);
    throw error;
  }

  private static TestRedis launchWith(Mode way) throws Exception {
    switch (way) {
      case TESTCONTAINERS:
        if (!ContainerBackend.dockerAvailable()) {
          throw new IllegalStateException("Docker is not available to Testcontainers");
        }
        return TestRedis.started(way, new ContainerBackend(FreePorts.pick()));
      case BINARY:
      case EMBEDDED:
        return startProcess(way, executable(way), label(way));
      default:
        throw new IllegalArgumentException(way.name());
    }
  }

  private static TestRedis startProcess(Mode way, Path executable, String label) throws Exception {
    return startRetrying(way, () -> ProcessBackend.create(executable, label));
  }

  /** Makes a backend on a newly picked port. */
  interface BackendFactory {
    ProcessBackend create() throws Exception;
  }

  /**
   * Starts a backend from {@code factory}, with up to {@value #PORT_ATTEMPTS} tries: a server that
   * exits or never answers most likely lost its port between picking and binding, so the next try
   * picks another.
   */
  static TestRedis startRetrying(Mode way, BackendFactory factory) throws Exception {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      ProcessBackend backend = factory.create();
      try {
        return TestRedis.started(way, backend);
      } catch (IllegalStateException e) {
        backend.destroy();
        last = e;
      } catch (Exception e) {
        backend.destroy();
        throw e;
      }
    }
    throw last;
  }

  /** The {@code redis-server} executable of a process-based way. */
  static Path executable(Mode way) throws IOException {
    if (way == Mode.BINARY) {
      return findOnPath("redis-server");
    }
    if (way == Mode.EMBEDDED) {
      File binary = ExecutableProvider.newJarResourceProvider().get();
      return binary.toPath();
    }
    throw new IllegalArgumentException(way + " does not run a local process");
  }

  static String label(Mode way) {
    return way == Mode.BINARY ? "redis-server on PATH" : "embedded-redis binary";
  }

  static Path findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(name + " not found on PATH (" + path + ")");
  }
}
