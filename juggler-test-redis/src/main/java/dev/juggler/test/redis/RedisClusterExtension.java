package dev.juggler.test.redis;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one private Redis Cluster for the whole test run:
 * {@code @ExtendWith(RedisClusterExtension.class)}.
 *
 * <p>The first test class that uses it starts a {@link TestRedisCluster}; it is kept in the root
 * extension context and stopped when the run ends. Before each test class the extension makes sure
 * every node runs and the cluster is ok (a test may have stopped a node for an outage), and sets
 * system property {@value #NODES_PROPERTY} to its {@link TestRedisCluster#seedNodes()}. {@link
 * TestRedisCluster} parameters of constructors, test and lifecycle methods are resolved to it.
 *
 * <p>Tests share the cluster: each test should flush it ({@link TestRedisCluster#flushAll()}) or
 * use keys of its own.
 */
public final class RedisClusterExtension implements BeforeAllCallback, ParameterResolver {

  /** System property set to the shared cluster's seed nodes, {@code 127.0.0.1:P1,…}. */
  public static final String NODES_PROPERTY = "juggler.test.redis.cluster.nodes";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    shared(context).ensureHealthy();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestRedisCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The run's cluster, started on first use (constructor parameters come before beforeAll). */
  private static TestRedisCluster shared(ExtensionContext context) {
    Shared shared =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                Shared.class, key -> new Shared(TestRedisCluster.launch()), Shared.class);
    System.setProperty(NODES_PROPERTY, shared.cluster.seedNodes());
    return shared.cluster;
  }

  /** Closes the cluster when the root context closes, at the end of the run. */
  private static final class Shared implements ExtensionContext.Store.CloseableResource {
    private final TestRedisCluster cluster;

    Shared(TestRedisCluster cluster) {
      this.cluster = cluster;
    }

    @Override
    public void close() {
      System.clearProperty(NODES_PROPERTY);
      cluster.close();
    }
  }
}
