package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class FanoutEstimatesTest {

  @Test
  void anEventsFanOutIsTheRunOfItsFrames() {
    FanoutEstimates f = new FanoutEstimates();
    assertEquals(0, f.estimate("news"), "never seen");
    UUID e1 = UUID.randomUUID();
    assertTrue(f.delivered(e1, "news"));
    assertFalse(f.delivered(e1, "news"));
    assertFalse(f.delivered(e1, "news"));
    assertEquals(3, f.estimate("news"), "known while the run goes on");
    assertTrue(f.delivered(UUID.randomUUID(), "other"));
    assertEquals(3, f.estimate("news"));
    assertEquals(1, f.estimate("other"));
  }

  @Test
  void aShrinkingFanOutIsLearnedWhenItsRunEnds() {
    FanoutEstimates f = new FanoutEstimates();
    UUID e1 = UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      f.delivered(e1, "news");
    }
    UUID e2 = UUID.randomUUID();
    f.delivered(e2, "news");
    f.delivered(e2, "news");
    f.delivered(UUID.randomUUID(), "other");
    assertEquals(2, f.estimate("news"));
  }

  @Test
  void theTableIsBounded() {
    FanoutEstimates f = new FanoutEstimates();
    for (int i = 0; i <= FanoutEstimates.MAX_CHANNELS + 1; i++) {
      f.delivered(UUID.randomUUID(), "c" + i);
    }
    assertEquals(0, f.estimate("c1"), "forgotten when the table filled up");
    assertEquals(1, f.estimate("c" + FanoutEstimates.MAX_CHANNELS), "learned again");
  }
}
