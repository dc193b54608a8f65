package dev.juggler.it.support;

import dev.juggler.it.extra.DenyingHandler;
import dev.juggler.it.extra.ExplodingHandler;
import dev.juggler.it.extra.LifecycleRecorder;
import dev.juggler.it.extra.ProbeCallee;
import java.io.File;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The application under test: the EAR the build produced, with the test-only handlers and the
 * lifecycle recorder added to its web module and the probe callee to its EJB module.
 */
public final class ItDeployment {
  /** The setting the deployments get {@link #REDIS_TIMEOUT_MS} for. */
  public static final String REDIS_TIMEOUT = "juggler.redis.timeout";

  /**
   * The Redis timeout of a deployment whose test does not set one: longer than the server's default
   * (2 s), which a loaded machine that stalls the server for a second or two can exhaust (the
   * server then rightly refuses the request, and a test about something else fails); settable with
   * {@code -Djuggler.it.redis-timeout-ms}. The tests of the timeout itself set it.
   */
  public static final String REDIS_TIMEOUT_MS =
      Long.toString(Long.getLong("juggler.it.redis-timeout-ms", 10_000));

  private ItDeployment() {}

  private static EnterpriseArchive built() {
    EnterpriseArchive ear =
        ShrinkWrap.createFromZipFile(
            EnterpriseArchive.class,
            new File(System.getProperty("juggler.it.ear", "target/juggler.ear")));
    String war = null;
    String ejb = null;
    for (ArchivePath path : ear.getContent().keySet()) {
      String name = path.get().substring(1);
      if (name.contains("/")) {
        continue;
      }
      if (name.endsWith(".war")) {
        war = name;
      } else if (name.startsWith("juggler-ejb-callee") && name.endsWith(".jar")) {
        ejb = name;
      }
    }
    if (war == null || ejb == null) {
      throw new IllegalStateException("web or EJB module not found in " + ear.toString(true));
    }
    ear.getAsType(WebArchive.class, war)
        .addClasses(DenyingHandler.class, ExplodingHandler.class, LifecycleRecorder.class);
    ear.getAsType(JavaArchive.class, ejb).addClass(ProbeCallee.class);
    return ear;
  }

  /**
   * The application with {@code keyValues} as extra settings (and {@link #REDIS_TIMEOUT_MS} unless
   * they set {@link #REDIS_TIMEOUT}), given as a {@code microprofile-config.properties} in a
   * library jar of the EAR (where Liberty's MicroProfile Config finds it). System properties given
   * to the test server still win.
   */
  public static EnterpriseArchive ear(String... keyValues) {
    StringBuilder props = new StringBuilder();
    boolean redisTimeout = false;
    for (int i = 0; i < keyValues.length; i += 2) {
      props.append(keyValues[i]).append('=').append(keyValues[i + 1]).append('\n');
      redisTimeout |= keyValues[i].equals(REDIS_TIMEOUT);
    }
    if (!redisTimeout) {
      props.append(REDIS_TIMEOUT).append('=').append(REDIS_TIMEOUT_MS).append('\n');
    }
    JavaArchive settings =
        ShrinkWrap.create(JavaArchive.class, "it-settings.jar")
            .addAsManifestResource(
                new StringAsset(props.toString()), "microprofile-config.properties");
    return built().addAsLibrary(settings);
  }
}
