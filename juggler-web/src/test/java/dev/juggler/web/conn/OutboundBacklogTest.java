package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboundBacklogTest {

  @Test
  void acksPassStraightThroughUnderTheLimit() {
    AtomicInteger held = new AtomicInteger();
    OutboundBacklog b = new OutboundBacklog(10, held::incrementAndGet);
    b.added(10);
    List<String> acks = new ArrayList<>();
    b.whenBelowLimit(() -> acks.add("a"));
    assertEquals(List.of("a"), acks);
    assertEquals(0, held.get());
  }

  @Test
  void acksWaitAboveTheLimitAndLeaveInOrderAtHalfOfIt() {
    AtomicInteger held = new AtomicInteger();
    OutboundBacklog b = new OutboundBacklog(10, held::incrementAndGet);
    b.added(11);
    List<String> acks = new ArrayList<>();
    b.whenBelowLimit(() -> acks.add("a"));
    b.whenBelowLimit(() -> acks.add("b"));
    assertEquals(List.of(), acks);
    assertEquals(2, held.get());
    b.removed(5); // 6 left: under the limit, not yet under half of it
    assertEquals(List.of(), acks);
    b.removed(1); // 5 left
    assertEquals(List.of("a", "b"), acks);
  }

  @Test
  void anAckDoesNotOvertakeHeldOnesEvenWhenTheBacklogIsUnderTheLimit() {
    OutboundBacklog b = new OutboundBacklog(10, () -> {});
    b.added(11);
    List<String> acks = new ArrayList<>();
    b.whenBelowLimit(() -> acks.add("first"));
    b.removed(3); // 8: under the limit, above half
    b.whenBelowLimit(() -> acks.add("second"));
    assertEquals(List.of(), acks);
    b.removed(8);
    assertEquals(List.of("first", "second"), acks);
  }

  @Test
  void releasedAcksThatQueueFramesStopTheReleaseAtTheLimit() {
    OutboundBacklog b = new OutboundBacklog(10, () -> {});
    b.added(11);
    List<String> acks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      b.whenBelowLimit(
          () -> {
            acks.add("ack" + n);
            b.added(3); // writing an ACK queues a frame of its own; here three
          });
    }
    b.removed(11); // 0: releases until the ACKs' own frames pass half the limit
    assertEquals(List.of("ack0", "ack1"), acks);
    b.removed(6); // 0 again: two more
    assertEquals(List.of("ack0", "ack1", "ack2", "ack3"), acks);
    b.removed(6);
    assertEquals(5, acks.size());
  }

  @Test
  void zeroTurnsFlowControlOff() {
    OutboundBacklog b = new OutboundBacklog(0, () -> {});
    b.added(1_000_000);
    List<String> acks = new ArrayList<>();
    b.whenBelowLimit(() -> acks.add("a"));
    assertEquals(List.of("a"), acks);
  }
}
