package dev.juggler.callee.function;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployment's functions, bound to their beans, behind one {@link FunctionInvoker}.
 *
 * <p>Created on first use only (the callee workers use it when enabled), so a deployment with
 * callees disabled creates no function bean. Each bean gets one contextual reference: a client
 * proxy for normal-scoped beans, an EJB reference for session beans, and a single instance for a
 * {@code @Dependent} bean, released with the registry.
 */
@ApplicationScoped
public class FunctionRegistry {
  @Inject private BeanManager beanManager;
  @Inject private RpcFunctionExtension extension;

  private final List<CreationalContext<?>> contexts = new ArrayList<>();
  private JsonCodec codec;
  private FunctionInvoker invoker;

  @PostConstruct
  void bind() {
    codec = JsonCodec.create();
    Map<List<Object>, Object> references = new HashMap<>();
    List<RpcTarget> targets = new ArrayList<>();
    for (DiscoveredFunction f : extension.functions()) {
      Object reference =
          references.computeIfAbsent(
              List.of(f.bean(), f.referenceType()), key -> reference(f.bean(), f));
      targets.add(RpcTarget.of(f.uri(), reference, f.invoked(), f.declared(), codec));
    }
    invoker = new FunctionInvoker(targets, codec);
  }

  private Object reference(Bean<?> bean, DiscoveredFunction f) {
    CreationalContext<?> context = beanManager.createCreationalContext(bean);
    contexts.add(context);
    return beanManager.getReference(bean, f.referenceType(), context);
  }

  /** The invoker over every function of the deployment. Thread-safe. */
  public FunctionInvoker invoker() {
    return invoker;
  }

  @PreDestroy
  void release() {
    contexts.forEach(CreationalContext::release);
    contexts.clear();
    if (codec != null) {
      codec.close();
    }
  }
}
