package dev.juggler.callee.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.BrokerException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class HeartbeatTest {

  private final InMemoryCalleeBrokerFake broker = new InMemoryCalleeBrokerFake();
  private final OutageLog outage =
      new OutageLog(Logger.getLogger(HeartbeatTest.class.getName()), "test heartbeat", "retrying");
  private final Heartbeat heartbeat =
      new Heartbeat(broker, List.of("a", "b"), "id-1", Duration.ofSeconds(3), outage);

  @Test
  void beatsUntilItLeavesOnceAndNeverAfter() {
    heartbeat.run();
    heartbeat.run();
    assertEquals(2, broker.heartbeats.get());
    heartbeat.leave();
    heartbeat.leave();
    assertEquals(List.of("id-1 [a, b]"), broker.leaves);
    heartbeat.run();
    assertEquals(2, broker.heartbeats.get(), "no heartbeat after leaving");
  }

  @Test
  void anOutageNeverEndsTheTaskAndIsLoggedUntilItIsOver() {
    broker.heartbeatFailure = BrokerException.unavailable(new IOException("connection refused"));
    heartbeat.run(); // would end a scheduled task if it threw
    broker.heartbeatFailure = new IllegalStateException("broker could not be made");
    heartbeat.run();
    assertTrue(outage.isDown());
    broker.heartbeatFailure = null;
    heartbeat.run();
    assertFalse(outage.isDown());
    assertEquals(3, broker.heartbeats.get());
  }
}
