package dev.juggler.broker.redis;

import dev.juggler.broker.BrokerContract;
import dev.juggler.test.redis.RedisExtension;
import dev.juggler.test.redis.TestRedis;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The broker contract on one standalone Redis, flushed before each test. */
@ExtendWith(RedisExtension.class)
class RedisBrokerContractIT extends BrokerContract {

  private final TestRedis redis;

  RedisBrokerContractIT(TestRedis redis) {
    this.redis = redis;
  }

  @BeforeEach
  void flush() {
    redis.flushAll();
  }

  @Override
  protected Node newNode(int callCapacity, int resultCapacity, Duration deliveryStall) {
    return Node.of(
        new RedisBroker(
            RedisBrokerConfig.of(redis.uri())
                .withCapacities(callCapacity, resultCapacity)
                .withDeliveryStall(deliveryStall)
                .withPoolSize(8)));
  }
}
