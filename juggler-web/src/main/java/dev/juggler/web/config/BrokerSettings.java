package dev.juggler.web.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The broker of each role, resolved from the {@code juggler.redis.*} properties.
 *
 * <p>Calls go to {@code juggler.redis.caller.url}, pub-sub to {@code juggler.redis.pubsub.url};
 * either falls back to {@code juggler.redis.url}, and that to {@value #DEFAULT_REDIS_URL}. Invalid
 * combinations are refused with a message naming the properties: a value that is not a {@code
 * redis://} or {@code rediss://} URL with a host, and {@code juggler.redis.cluster.nodes} together
 * with any URL (cluster support is not there yet, so the nodes alone are refused too).
 *
 * @param caller where calls are queued and results read
 * @param pubsub where events are published and subscribed to
 */
public record BrokerSettings(BrokerTarget caller, BrokerTarget pubsub) {
  public static final String URL = "juggler.redis.url";
  public static final String CALLER_URL = "juggler.redis.caller.url";
  public static final String PUBSUB_URL = "juggler.redis.pubsub.url";
  public static final String CLUSTER_NODES = "juggler.redis.cluster.nodes";
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

  /**
   * Resolves the roles; empty values count as not set.
   *
   * @throws IllegalArgumentException naming the properties at fault
   */
  public static BrokerSettings resolve(
      Optional<String> url,
      Optional<String> callerUrl,
      Optional<String> pubsubUrl,
      Optional<String> clusterNodes) {
    if (present(clusterNodes)) {
      List<String> urls = new ArrayList<>();
      addIfPresent(urls, URL, url);
      addIfPresent(urls, CALLER_URL, callerUrl);
      addIfPresent(urls, PUBSUB_URL, pubsubUrl);
      if (!urls.isEmpty()) {
        throw new IllegalArgumentException(
            CLUSTER_NODES + " cannot be combined with " + String.join(", ", urls) + "; set one");
      }
      throw new IllegalArgumentException(
          CLUSTER_NODES + " is set, but Redis Cluster is not supported yet; set " + URL);
    }
    BrokerTarget shared = BrokerTarget.redis(redisUrl(URL, url.orElse(DEFAULT_REDIS_URL)));
    return new BrokerSettings(
        target(CALLER_URL, callerUrl, shared), target(PUBSUB_URL, pubsubUrl, shared));
  }

  /** Whether both roles go to the same place, and so share one broker. */
  public boolean shared() {
    return caller.equals(pubsub);
  }

  private static BrokerTarget target(String key, Optional<String> value, BrokerTarget fallback) {
    return present(value) ? BrokerTarget.redis(redisUrl(key, value.get())) : fallback;
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

  /** The URL without its password, for logs and messages. */
  static String redact(Object url) {
    return String.valueOf(url).replaceFirst("//[^/@]*@", "//***@");
  }
}
