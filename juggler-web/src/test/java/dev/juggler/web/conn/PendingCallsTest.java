package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PendingCallsTest {
  private static final long MS = 1_000_000;

  @Test
  void aResAfterTheAckIsTimedFromTheAck() {
    PendingCalls calls = new PendingCalls();
    UUID call = UUID.randomUUID();
    calls.storing(call, Duration.ofSeconds(1), 0);
    calls.acked(call, 5 * MS);
    assertEquals(7 * MS, calls.answered(call, 12 * MS));
    assertEquals(-1, calls.answered(call, 13 * MS), "answered once");
    assertEquals(0, calls.size());
  }

  @Test
  void aCallNeverAcknowledgedIsNotTimed() {
    PendingCalls calls = new PendingCalls();
    UUID call = UUID.randomUUID();
    calls.storing(call, Duration.ofSeconds(1), 0);
    assertEquals(-1, calls.answered(call, MS));
    UUID refused = UUID.randomUUID();
    calls.storing(refused, Duration.ofSeconds(1), 0);
    calls.refused(refused);
    calls.acked(refused, MS); // an ACK for a forgotten call does not bring it back
    assertEquals(0, calls.size());
  }

  @Test
  void callsPastTheirTimeoutAreForgottenAndTheAcknowledgedOnesCounted() {
    PendingCalls calls = new PendingCalls();
    UUID acked = UUID.randomUUID();
    UUID notAcked = UUID.randomUUID();
    UUID later = UUID.randomUUID();
    calls.storing(acked, Duration.ofMillis(100), 0);
    calls.acked(acked, MS);
    calls.storing(notAcked, Duration.ofMillis(100), 0);
    calls.storing(later, Duration.ofMillis(500), 0);
    calls.acked(later, MS);
    assertEquals(0, calls.expire(100 * MS), "due, not past");
    assertEquals(1, calls.expire(101 * MS));
    assertEquals(1, calls.size());
    assertEquals(-1, calls.answered(acked, 102 * MS), "an expired call's late RES is not timed");
    assertEquals(1, calls.expire(Long.MAX_VALUE / 2));
    assertEquals(0, calls.size());
  }

  @Test
  void aResMayGoOnlyToAKnownCallBeforeItsTimeout() {
    PendingCalls calls = new PendingCalls();
    UUID call = UUID.randomUUID();
    calls.storing(call, Duration.ofMillis(100), 0);
    assertTrue(calls.mayAnswer(call, 0), "a fast result, before the ACK");
    calls.acked(call, MS);
    assertTrue(calls.mayAnswer(call, 99 * MS));
    assertFalse(calls.mayAnswer(call, 100 * MS), "at its deadline the client gives up");
    assertFalse(calls.mayAnswer(call, 8_000 * MS), "long after: a store that stalled");
    calls.answered(call, 50 * MS);
    assertFalse(calls.mayAnswer(call, 51 * MS), "answered once");

    UUID nacked = UUID.randomUUID();
    calls.storing(nacked, Duration.ofSeconds(2), 0);
    calls.refused(nacked);
    assertFalse(calls.mayAnswer(nacked, MS), "a NACKed call gets no RES");
    assertFalse(calls.mayAnswer(UUID.randomUUID(), 0), "nor does a call never made here");
  }

  @Test
  void aHugeTimeoutDoesNotOverflow() {
    PendingCalls calls = new PendingCalls();
    UUID call = UUID.randomUUID();
    calls.storing(call, Duration.ofSeconds(Long.MAX_VALUE), System.nanoTime());
    calls.acked(call, System.nanoTime());
    assertEquals(0, calls.expire(System.nanoTime() + Duration.ofDays(300).toNanos()));
    assertEquals(1, calls.size());
  }
}
