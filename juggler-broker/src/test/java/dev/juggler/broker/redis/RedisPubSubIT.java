package dev.juggler.broker.redis;

import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class RedisPubSubIT extends AbstractRedisPubSubIT {

  RedisPubSubIT(TestRedis redis) {
    super(Fixture.standalone(redis));
  }
}
