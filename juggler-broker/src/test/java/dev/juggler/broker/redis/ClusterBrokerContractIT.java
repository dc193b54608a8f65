package dev.juggler.broker.redis;

import dev.juggler.broker.BrokerContract;
import dev.juggler.test.redis.RedisClusterExtension;
import dev.juggler.test.redis.TestRedisCluster;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The broker contract on a 3-master Redis Cluster, flushed before each test. */
@ExtendWith(RedisClusterExtension.class)
class ClusterBrokerContractIT extends BrokerContract {

  private final TestRedisCluster cluster;

  ClusterBrokerContractIT(TestRedisCluster cluster) {
    this.cluster = cluster;
  }

  @BeforeEach
  void flush() {
    cluster.flushAll();
  }

  @Override
  protected Node newNode(int callCapacity, int resultCapacity, Duration deliveryStall) {
    return Node.of(
        new RedisBroker(
            RedisBrokerConfig.ofCluster(cluster.seedNodes())
                .withCapacities(callCapacity, resultCapacity)
                .withDeliveryStall(deliveryStall)
                .withPoolSize(8)));
  }
}
