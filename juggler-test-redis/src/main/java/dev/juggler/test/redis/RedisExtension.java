package dev.juggler.test.redis;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one private Redis for the whole test run: {@code @ExtendWith(RedisExtension.class)}.
 *
 * <p>The first test class that uses it starts a {@link TestRedis} (see {@link TestRedis#launch()});
 * it is kept in the root extension context and stopped when the run ends. Before each test class
 * the extension makes sure the server is running (a test that stopped it for an outage may not have
 * restarted it) and sets system property {@value #URL_PROPERTY} to its {@link TestRedis#uri()}, so
 * that extensions registered after this one, which start servers reading that property, find it.
 * {@link TestRedis} parameters of constructors, test and lifecycle methods are resolved to it.
 *
 * <p>Tests share the server: each test should flush it ({@link TestRedis#flushAll()}) or use keys
 * of its own.
 */
public final class RedisExtension implements BeforeAllCallback, ParameterResolver {

  /** System property set to the shared server's URI, {@code redis://127.0.0.1:PORT}. */
  public static final String URL_PROPERTY = "juggler.test.redis.url";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    TestRedis redis = shared(context);
    redis.start();
    System.setProperty(URL_PROPERTY, redis.uri().toString());
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestRedis.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /**
   * The run's server, started on first use. Constructor parameters of a per-class test instance are
   * resolved before {@link #beforeAll}, so both paths go through here.
   */
  private static TestRedis shared(ExtensionContext context) {
    Shared shared =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                Shared.class, key -> new Shared(TestRedis.launch()), Shared.class);
    System.setProperty(URL_PROPERTY, shared.redis.uri().toString());
    return shared.redis;
  }

  /** Closes the server when the root context closes, at the end of the run. */
  private static final class Shared implements ExtensionContext.Store.CloseableResource {
    private final TestRedis redis;

    Shared(TestRedis redis) {
      this.redis = redis;
    }

    @Override
    public void close() {
      System.clearProperty(URL_PROPERTY);
      redis.close();
    }
  }
}
