package dev.juggler.broker.redis;

import dev.juggler.test.redis.RedisClusterExtension;
import dev.juggler.test.redis.TestRedisCluster;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisClusterExtension.class)
class ClusterRpcIT extends AbstractRedisRpcIT {

  ClusterRpcIT(TestRedisCluster cluster) {
    super(Fixture.cluster(cluster));
  }
}
