package dev.juggler.callee.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import java.util.logging.Logger;

/**
 * Adds {@link CalleeReadiness} and {@link CalleeMetrics} as application-scoped beans, each only
 * when the server provides its MicroProfile API. They carry no bean-defining annotation, so that
 * annotated discovery never loads them where their interfaces are missing (the callee-only server,
 * without mpHealth and mpMetrics); their classes are named here as strings for the same reason.
 */
public class ObservabilityExtension implements Extension {
  private static final Logger LOG = Logger.getLogger(ObservabilityExtension.class.getName());
  private static final String PACKAGE = ObservabilityExtension.class.getPackageName();

  void addBeans(@Observes BeforeBeanDiscovery event) {
    add(event, "org.eclipse.microprofile.health.HealthCheck", PACKAGE + ".CalleeReadiness");
    add(event, "org.eclipse.microprofile.metrics.MetricRegistry", PACKAGE + ".CalleeMetrics");
  }

  private void add(BeforeBeanDiscovery event, String api, String beanClass) {
    ClassLoader loader = ObservabilityExtension.class.getClassLoader();
    try {
      Class.forName(api, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      LOG.fine(() -> beanClass + " not added: the server does not provide " + api);
      return;
    }
    try {
      Class<?> type = Class.forName(beanClass, false, loader);
      event.addAnnotatedType(type, beanClass).add(ApplicationScoped.Literal.INSTANCE);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("missing class " + beanClass, e);
    }
  }
}
