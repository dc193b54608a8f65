package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.Subscriber;
import dev.juggler.protocol.message.NackCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitedSubscriberTest {

  /** Records what reaches the broker; fails subscriptions to channels named "down". */
  private static final class Recording implements Subscriber {
    final List<String> calls = new ArrayList<>();
    boolean closed;

    @Override
    public void subscribe(String channel, boolean pattern) throws BrokerException {
      calls.add("sub " + channel + (pattern ? " (pattern)" : ""));
      if (channel.equals("down")) {
        throw BrokerException.unavailable(new RuntimeException("test"));
      }
    }

    @Override
    public void unsubscribe(String channel, boolean pattern) {
      calls.add("unsb " + channel + (pattern ? " (pattern)" : ""));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final Recording broker = new Recording();
  private final LimitedSubscriber subscriber = new LimitedSubscriber(broker, 2);

  @Test
  void aSubPastTheLimitIsRefusedWith429AndNeverReachesTheBroker() throws Exception {
    subscriber.subscribe("a", false);
    subscriber.subscribe("a*", true);
    BrokerException e = assertThrows(BrokerException.class, () -> subscriber.subscribe("b", false));
    assertEquals(NackCode.TOO_MANY, e.code());
    assertEquals("subscription limit reached: at most 2 per connection", e.getMessage());
    assertEquals(List.of("sub a", "sub a* (pattern)"), broker.calls);
    assertEquals(2, subscriber.size());
  }

  @Test
  void channelsAndPatternsOfTheSameNameAreTwoSubscriptions() throws Exception {
    subscriber.subscribe("a", false);
    subscriber.subscribe("a", true);
    assertThrows(BrokerException.class, () -> subscriber.subscribe("a*", true));
  }

  @Test
  void aSubscriptionAlreadyHeldIsNotRefusedAtTheLimit() throws Exception {
    subscriber.subscribe("a", false);
    subscriber.subscribe("b", false);
    subscriber.subscribe("a", false);
    assertEquals(2, subscriber.size());
    assertEquals(3, broker.calls.size());
  }

  @Test
  void anUnsubscriptionMakesRoom() throws Exception {
    subscriber.subscribe("a", false);
    subscriber.subscribe("b", true);
    subscriber.unsubscribe("b", false); // not held: no room made
    assertThrows(BrokerException.class, () -> subscriber.subscribe("c", false));
    subscriber.unsubscribe("b", true);
    subscriber.subscribe("c", false);
    assertEquals(2, subscriber.size());
  }

  @Test
  void aFailedSubscriptionTakesNoRoom() throws Exception {
    BrokerException e =
        assertThrows(BrokerException.class, () -> subscriber.subscribe("down", false));
    assertEquals(NackCode.UNAVAILABLE, e.code());
    assertEquals(0, subscriber.size());
    subscriber.subscribe("a", false);
    subscriber.subscribe("b", false);
    assertEquals(2, subscriber.size());
  }

  @Test
  void closingClosesTheBrokersSubscriber() throws Exception {
    subscriber.subscribe("a", false);
    subscriber.close();
    assertTrue(broker.closed);
    assertEquals(0, subscriber.size());
  }
}
