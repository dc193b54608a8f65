package dev.juggler.broker.redis;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where a {@link RedisBroker} keeps its data: one Redis server, or a Redis Cluster. Immutable;
 * nothing connects or resolves host names when one is made.
 */
public sealed interface RedisTarget permits RedisTarget.Standalone, RedisTarget.Cluster {

  /**
   * One Redis server.
   *
   * @param url {@code redis://[user:password@]host:port[/db]} ({@code rediss://} for TLS)
   */
  record Standalone(URI url) implements RedisTarget {
    /**
     * @throws IllegalArgumentException when {@code url} is not a Redis URL
     */
    public Standalone {
      Objects.requireNonNull(url, "url");
      if (!JedisURIHelper.isValid(url)) {
        throw new IllegalArgumentException("not a Redis URL: " + url);
      }
    }
  }

  /**
   * A Redis Cluster, found through any of its seed nodes; the broker learns the others, and which
   * node owns which slot, from the first seed that answers.
   *
   * @param seeds seed nodes, unresolved, at least one
   * @param user the ACL user, or {@code null} for the default user
   * @param password the password, or {@code null} when the cluster needs none
   */
  record Cluster(List<InetSocketAddress> seeds, String user, String password)
      implements RedisTarget {

    public Cluster {
      seeds = List.copyOf(seeds);
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("a Redis Cluster needs at least one seed node");
      }
    }

    /**
     * Seed nodes from a comma-separated list of {@code host:port} ({@code [::1]:7000} for an IPv6
     * address), with no credentials; blanks around entries are ignored.
     *
     * @throws IllegalArgumentException when the list is empty or an entry is not {@code host:port}
     */
    public static Cluster parse(String hostPorts) {
      List<InetSocketAddress> seeds = new ArrayList<>();
      for (String entry : Objects.requireNonNull(hostPorts, "hostPorts").split(",")) {
        if (!entry.isBlank()) {
          seeds.add(hostPort(entry.trim()));
        }
      }
      return new Cluster(seeds, null, null);
    }

    /** The same seeds with these credentials (either may be {@code null}). */
    public Cluster withCredentials(String user, String password) {
      return new Cluster(seeds, user, password);
    }

    /** Lists the seeds, never the password. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Cluster[");
      for (InetSocketAddress seed : seeds) {
        sb.append(sb.length() > 8 ? "," : "").append(seed.getHostString()).append(':');
        sb.append(seed.getPort());
      }
      return sb.append(user == null ? "" : ", user=" + user).append(']').toString();
    }

    private static InetSocketAddress hostPort(String entry) {
      int colon = entry.lastIndexOf(':');
      String host = colon > 0 ? entry.substring(0, colon) : "";
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      try {
        int port = Integer.parseInt(entry.substring(colon + 1));
        if (!host.isEmpty() && port > 0 && port < 65_536) {
          return InetSocketAddress.createUnresolved(host, port);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("not a host:port seed node: " + entry);
    }
  }
}
