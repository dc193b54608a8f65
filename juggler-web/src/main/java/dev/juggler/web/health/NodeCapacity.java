package dev.juggler.web.health;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.juggler.web.config.ServerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Whether this node can take more connections: its WebSocket container is deployed, and the process
 * has file descriptors to spare. Each connection holds one; a process out of them fails everywhere
 * at once (Liberty then cannot even read the application's own files and stops it), so {@code
 * juggler.server.fd-reserve} of them are kept for the server itself: past that, handshakes get HTTP
 * 503 and readiness goes DOWN, and both recover as connections close.
 *
 * <p>File descriptors are counted where the JVM can (Unix, {@link UnixOperatingSystemMXBean});
 * elsewhere only the WebSocket container is checked.
 */
@ApplicationScoped
public class NodeCapacity {
  @Inject ServerConfig config;

  private volatile boolean endpointDeployed;

  void onStart(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
    endpointDeployed = context.getAttribute(ServerContainer.class.getName()) != null;
  }

  /** Whether the web module started with a WebSocket container to serve the endpoint. */
  public boolean endpointDeployed() {
    return endpointDeployed;
  }

  /** File descriptors open in this process now; -1 where unknown. */
  public long openFiles() {
    return unix() instanceof UnixOperatingSystemMXBean os ? os.getOpenFileDescriptorCount() : -1;
  }

  /** The most file descriptors this process may open; -1 where unknown. */
  public long maxFiles() {
    return unix() instanceof UnixOperatingSystemMXBean os ? os.getMaxFileDescriptorCount() : -1;
  }

  /** How many file descriptors are kept for the server: new connections may not use them. */
  public long reserve(long maxFiles) {
    return config.fdReserve(maxFiles);
  }

  /** Why the node must take no more connections now, or {@code null} when it may. */
  public String problem() {
    if (!endpointDeployed) {
      return "the WebSocket endpoint is not deployed";
    }
    long open = openFiles();
    long max = maxFiles();
    if (open >= 0 && max > 0 && open >= max - reserve(max)) {
      return "file descriptors nearly exhausted: " + open + " of " + max + " open";
    }
    return null;
  }

  private static OperatingSystemMXBean unix() {
    return ManagementFactory.getOperatingSystemMXBean();
  }
}
