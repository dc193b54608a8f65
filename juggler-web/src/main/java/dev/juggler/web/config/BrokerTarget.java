package dev.juggler.web.config;

import java.net.URI;
import java.util.Objects;

/**
 * Where one broker role (calls, or pub-sub) goes. Today the only kind is one Redis server; an
 * in-process broker and Redis Cluster become further kinds, resolved in {@link BrokerSettings} and
 * built in {@link Brokers}.
 *
 * <p>Two roles with equal targets share one broker instance.
 *
 * @param kind what serves the role
 * @param url the Redis server, for {@link Kind#REDIS}
 */
public record BrokerTarget(Kind kind, URI url) {

  /** What serves a role. */
  public enum Kind {
    /** One Redis server (or a primary behind one address). */
    REDIS
  }

  public BrokerTarget {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(url, "url");
  }

  public static BrokerTarget redis(URI url) {
    return new BrokerTarget(Kind.REDIS, url);
  }

  /** The target for logs: the URL without its password. */
  @Override
  public String toString() {
    return BrokerSettings.redact(url);
  }
}
