package dev.juggler.broker.config;

import dev.juggler.broker.redis.RedisTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The broker of each role, resolved from the {@code juggler.redis.*} properties:
 *
 * <ul>
 *   <li>{@value #CLUSTER_NODES} set: both roles on that Redis Cluster; no URL may be set with it;
 *   <li>else none of {@value #URL}, {@value #CALLER_URL}, {@value #PUBSUB_URL} set: both roles on
 *       the in-process broker (a single node, for trying Juggler without Redis);
 *   <li>else calls on {@value #CALLER_URL} and pub-sub on {@value #PUBSUB_URL}, each falling back
 *       to {@value #URL}; a role left with no URL is refused.
 * </ul>
 *
 * <p>Empty values count as not set. Every refusal names the properties at fault and never shows a
 * password.
 *
 * @param caller where calls are queued and results read
 * @param pubsub where events are published and subscribed to
 */
public record BrokerSettings(BrokerTarget caller, BrokerTarget pubsub) {
  public static final String URL = "juggler.redis.url";
  public static final String CALLER_URL = "juggler.redis.caller.url";
  public static final String PUBSUB_URL = "juggler.redis.pubsub.url";
  public static final String CLUSTER_NODES = "juggler.redis.cluster.nodes";

  /**
   * Resolves the roles.
   *
   * @throws IllegalArgumentException naming the properties at fault
   */
  public static BrokerSettings resolve(
      Optional<String> url,
      Optional<String> callerUrl,
      Optional<String> pubsubUrl,
      Optional<String> clusterNodes) {
    List<String> urls = new ArrayList<>();
    addIfPresent(urls, URL, url);
    addIfPresent(urls, CALLER_URL, callerUrl);
    addIfPresent(urls, PUBSUB_URL, pubsubUrl);
    if (present(clusterNodes)) {
      if (!urls.isEmpty()) {
        throw new IllegalArgumentException(
            CLUSTER_NODES + " cannot be combined with " + String.join(", ", urls) + "; set one");
      }
      BrokerTarget cluster = new BrokerTarget.OnRedis(cluster(clusterNodes.get()));
      return new BrokerSettings(cluster, cluster);
    }
    if (urls.isEmpty()) {
      BrokerTarget inProcess = new BrokerTarget.InProcess();
      return new BrokerSettings(inProcess, inProcess);
    }
    return new BrokerSettings(
        role(CALLER_URL, callerUrl, url, PUBSUB_URL), role(PUBSUB_URL, pubsubUrl, url, CALLER_URL));
  }

  /** Whether both roles go to the same place, and so share one broker. */
  public boolean shared() {
    return caller.equals(pubsub);
  }

  private static BrokerTarget role(
      String key, Optional<String> value, Optional<String> fallback, String otherKey) {
    if (present(value)) {
      return new BrokerTarget.OnRedis(new RedisTarget.Standalone(redisUrl(key, value.get())));
    }
    if (present(fallback)) {
      return new BrokerTarget.OnRedis(new RedisTarget.Standalone(redisUrl(URL, fallback.get())));
    }
    throw new IllegalArgumentException(
        otherKey + " is set but neither " + key + " nor " + URL + "; set one of them too");
  }

  private static RedisTarget.Cluster cluster(String nodes) {
    try {
      return RedisTarget.Cluster.parse(nodes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          CLUSTER_NODES + " must be host:port[,host:port…], not " + redact(nodes), e);
    }
  }

  private static boolean present(Optional<String> value) {
    return value.isPresent() && !value.get().isBlank();
  }

  private static void addIfPresent(List<String> keys, String key, Optional<String> value) {
    if (present(value)) {
      keys.add(key);
    }
  }

  /** A {@code redis://} or {@code rediss://} URL with a host. */
  static URI redisUrl(String key, String value) {
    URI parsed;
    try {
      parsed = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(key + " is not a URL: " + redact(value), e);
    }
    String scheme = parsed.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme) || parsed.getHost() == null) {
      throw new IllegalArgumentException(
          key + " must look like redis://host:port, not " + redact(value));
    }
    return parsed;
  }

  /** The value without its password, for logs and messages. */
  public static String redact(Object url) {
    return String.valueOf(url).replaceFirst("//[^/@]*@", "//***@");
  }
}
