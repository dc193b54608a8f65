package dev.juggler.broker.redis;

import dev.juggler.test.redis.RedisClusterExtension;
import dev.juggler.test.redis.TestRedisCluster;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisClusterExtension.class)
class ClusterPubSubIT extends AbstractRedisPubSubIT {

  ClusterPubSubIT(TestRedisCluster cluster) {
    super(Fixture.cluster(cluster));
  }
}
