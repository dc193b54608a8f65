package dev.juggler.callee.function;

import dev.juggler.callee.RpcFunction;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.Decorator;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.Interceptor;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Finds {@link RpcFunction} methods on every managed bean and session bean of the deployment
 * ({@link ProcessManagedBean} covers both) and fails the deployment on an invalid one.
 *
 * <p>Only records what it finds: no instance is created here, so nothing runs when callees are
 * disabled. {@link FunctionRegistry} binds the functions to beans once the container is up. CDI may
 * fire discovery events from several threads, hence the synchronization.
 */
public class RpcFunctionExtension implements Extension {
  private static final Logger LOG = Logger.getLogger(RpcFunctionExtension.class.getName());

  private final FunctionCatalog catalog = new FunctionCatalog();
  private final List<DiscoveredFunction> functions = new ArrayList<>();

  <T> void collect(@Observes ProcessManagedBean<T> event) {
    Bean<?> bean = event.getBean();
    if (bean instanceof Interceptor || bean instanceof Decorator) {
      return;
    }
    for (AnnotatedMethod<? super T> method : event.getAnnotatedBeanClass().getMethods()) {
      RpcFunction function = method.getAnnotation(RpcFunction.class);
      if (function != null) {
        discover(function.value(), bean, method.getJavaMember())
            .ifPresent(problem -> event.addDefinitionError(new DefinitionException(problem)));
      }
    }
  }

  /** Records the function, or says why it cannot be one. */
  private Optional<String> discover(String uri, Bean<?> bean, Method method) {
    String owner = FunctionSignatures.describe(method);
    Optional<String> problem =
        FunctionSignatures.problem(method).map(p -> "@RpcFunction method " + owner + " " + p);
    if (problem.isPresent()) {
      return problem;
    }
    Optional<FunctionSignatures.BusinessMethod> business =
        FunctionSignatures.businessMethod(method, bean.getTypes());
    if (business.isEmpty()) {
      return Optional.of(
          "@RpcFunction method "
              + owner
              + " is not callable through the bean's types "
              + bean.getTypes()
              + ": declare it on a local business interface or use a no-interface view");
    }
    problem = catalog.claim(uri, owner);
    if (problem.isEmpty()) {
      FunctionSignatures.BusinessMethod b = business.get();
      synchronized (this) {
        functions.add(new DiscoveredFunction(uri, bean, b.referenceType(), b.method(), method));
      }
      LOG.fine(() -> "Found @RpcFunction(\"" + uri + "\") on " + owner);
    }
    return problem;
  }

  /** The valid functions found, in discovery order. Complete once the container has started. */
  public synchronized List<DiscoveredFunction> functions() {
    return List.copyOf(functions);
  }
}
