package dev.juggler.test.redis;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@code redis:7} container with Testcontainers.
 *
 * <p>The host port is fixed when the container is created, so that stopping and starting the same
 * container (an outage) keeps it; Testcontainers' own restart would map a new random port.
 */
final class ContainerBackend implements ServerBackend {

  private static final String HOST = "127.0.0.1";
  private static final int REDIS_PORT = 6379;

  private final int port;
  private GenericContainer<?> container;
  private boolean stopped;

  ContainerBackend(int port) {
    this.port = port;
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  @Override
  public void start() {
    if (container == null) {
      container =
          new GenericContainer<>(DockerImageName.parse("redis:7"))
              .withExposedPorts(REDIS_PORT)
              .withCommand("redis-server", "--save", "", "--appendonly", "no")
              .withCreateContainerCmdModifier(
                  cmd ->
                      cmd.getHostConfig()
                          .withPortBindings(
                              new PortBinding(
                                  Ports.Binding.bindIpAndPort(HOST, port),
                                  ExposedPort.tcp(REDIS_PORT))));
      container.start();
    } else if (stopped) {
      docker().startContainerCmd(container.getContainerId()).exec();
    }
    stopped = false;
  }

  @Override
  public void stop() {
    if (container != null && !stopped) {
      docker().stopContainerCmd(container.getContainerId()).withTimeout(5).exec();
      stopped = true;
    }
  }

  @Override
  public void destroy() {
    if (container != null) {
      container.stop();
      container = null;
    }
  }

  @Override
  public boolean isAlive() {
    return container != null && !stopped && container.isRunning();
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
    return "Testcontainers redis:7";
  }

  @Override
  public String diagnostics() {
    if (container == null) {
      return "";
    }
    String logs = container.getLogs();
    return logs.length() > 2000 ? logs.substring(logs.length() - 2000) : logs;
  }

  private static DockerClient docker() {
    return DockerClientFactory.instance().client();
  }
}
