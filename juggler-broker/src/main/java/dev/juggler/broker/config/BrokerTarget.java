package dev.juggler.broker.config;

import dev.juggler.broker.Broker;
import dev.juggler.broker.memory.InMemoryBroker;
import dev.juggler.broker.memory.InMemoryBrokerConfig;
import dev.juggler.broker.memory.InMemoryStore;
import dev.juggler.broker.redis.RedisBroker;
import dev.juggler.broker.redis.RedisBrokerConfig;
import dev.juggler.broker.redis.RedisTarget;

/** Where one broker role goes; equal targets can share one broker. */
public sealed interface BrokerTarget {

  /** Opens a broker on this target; it connects only when first used. */
  Broker open(BrokerOptions options);

  /** Whether this target serves a single node only. */
  boolean singleNode();

  /**
   * The in-process broker on the application's shared store: no Redis, one node. Server and callees
   * in one EAR share the store, so the callees in the EAR serve the server's calls.
   */
  record InProcess() implements BrokerTarget {
    @Override
    public Broker open(BrokerOptions options) {
      return new InMemoryBroker(
          InMemoryStore.shared(),
          InMemoryBrokerConfig.of()
              .withCapacities(options.callCapacity(), options.resultCapacity())
              .withThreadFactory(options.threadFactory()));
    }

    @Override
    public boolean singleNode() {
      return true;
    }

    @Override
    public String toString() {
      return "the in-process broker (single node: no Redis, nothing shared with other processes)";
    }
  }

  /**
   * A Redis server or a Redis Cluster.
   *
   * @param redis the server or the cluster's seed nodes
   */
  record OnRedis(RedisTarget redis) implements BrokerTarget {
    @Override
    public Broker open(BrokerOptions options) {
      return new RedisBroker(
          RedisBrokerConfig.of(redis)
              .withCapacities(options.callCapacity(), options.resultCapacity())
              .withPoolSize(options.poolSize())
              .withTimeout(options.timeout())
              .withThreadFactory(options.threadFactory()));
    }

    @Override
    public boolean singleNode() {
      return false;
    }

    /** The target for logs, without any password. */
    @Override
    public String toString() {
      return redis instanceof RedisTarget.Standalone s
          ? "Redis at " + BrokerSettings.redact(s.url())
          : "Redis Cluster " + redis;
    }
  }
}
