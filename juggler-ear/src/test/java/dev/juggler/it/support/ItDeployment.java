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
  private ItDeployment() {}

  public static EnterpriseArchive ear() {
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
   * The same application with extra settings, given as a {@code microprofile-config.properties} in
   * a library jar of the EAR (where Liberty's MicroProfile Config finds it). System properties
   * given to the test server still win.
   */
  public static EnterpriseArchive ear(String... keyValues) {
    StringBuilder props = new StringBuilder();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.append(keyValues[i]).append('=').append(keyValues[i + 1]).append('\n');
    }
    JavaArchive settings =
        ShrinkWrap.create(JavaArchive.class, "it-settings.jar")
            .addAsManifestResource(
                new StringAsset(props.toString()), "microprofile-config.properties");
    return ear().addAsLibrary(settings);
  }
}
