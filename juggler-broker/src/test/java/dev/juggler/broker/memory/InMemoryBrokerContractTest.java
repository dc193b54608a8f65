package dev.juggler.broker.memory;

import dev.juggler.broker.BrokerContract;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

/** The broker contract on process memory: each test gets a store of its own. */
class InMemoryBrokerContractTest extends BrokerContract {

  private InMemoryStore store;

  @BeforeEach
  void newStore() {
    store = new InMemoryStore();
  }

  @Override
  protected Node newNode(int callCapacity, int resultCapacity, Duration deliveryStall) {
    InMemoryBrokerConfig config =
        InMemoryBrokerConfig.of()
            .withCapacities(callCapacity, resultCapacity)
            .withDeliveryStall(deliveryStall);
    return Node.of(new InMemoryBroker(store, config));
  }
}
