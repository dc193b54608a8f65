package dev.juggler.broker.redis;

import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class RedisRpcIT extends AbstractRedisRpcIT {

  RedisRpcIT(TestRedis redis) {
    super(Fixture.standalone(redis));
  }
}
