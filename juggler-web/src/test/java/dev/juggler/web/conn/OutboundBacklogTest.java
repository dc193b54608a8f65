package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboundBacklogTest {
  private static final long NO_TIMEOUT_MS = 600_000;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  // the PUBs let go, in the order they went (run on the thread that let them go)
  private final List<Integer> went = new ArrayList<>();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private OutboundBacklog backlog(long limit, long maxWaitMs) {
    return new OutboundBacklog(limit, maxWaitMs, Runnable::run, timer);
  }

  /** Reserves or holds PUB {@code n}; records {@code n} when it goes later. */
  private boolean pub(OutboundBacklog b, int n, int fanout) {
    return b.reserveOrHold(UUID.randomUUID(), fanout, () -> record(n));
  }

  private synchronized void record(int n) {
    went.add(n);
  }

  private synchronized List<Integer> went() {
    return List.copyOf(went);
  }

  @Test
  void aPubWithinTheLimitGoesAtOnce() {
    OutboundBacklog b = backlog(10, NO_TIMEOUT_MS);
    b.added(9);
    assertTrue(pub(b, 1, 1));
    assertEquals(1, b.reserved());
    assertEquals(List.of(), went(), "its go is never run: the caller publishes");
  }

  @Test
  void aPubAboveTheLimitIsHeldUntilTheBacklogIsDownToHalf() {
    OutboundBacklog b = backlog(10, NO_TIMEOUT_MS);
    b.added(11);
    assertFalse(pub(b, 1, 0), "held: the call returns, no thread waits");
    assertEquals(1, b.held());
    b.removed(5); // 6: under the limit, above half of it
    assertEquals(List.of(), went(), "still held above half the limit");
    b.removed(1); // 5
    assertEquals(List.of(1), went());
    assertEquals(0, b.held());
  }

  @Test
  void aPubIsThrottledByTheFramesItWillAdd() {
    OutboundBacklog b = backlog(100, NO_TIMEOUT_MS);
    UUID first = UUID.randomUUID();
    assertTrue(b.reserveOrHold(first, 40, () -> record(1)), "room for 40 frames");
    assertEquals(40, b.reserved());
    assertTrue(pub(b, 2, 40), "room for 40 more");
    // 80 reserved: a third PUB of 40 would make 120
    assertFalse(pub(b, 3, 40), "held while its fan-out does not fit");
    // the first event came back: its frames are counted as queued now (counted before its
    // reservation goes, so that the backlog never sees less than the 80 frames that there are)
    b.added(40);
    b.release(first);
    assertEquals(List.of(), went(), "80 counted, still above half the limit");
    b.removed(40); // sent: 40 left, reserved by the second PUB
    assertEquals(List.of(3), went());
    assertEquals(80, b.reserved(), "the second and third PUBs' reservations");
  }

  @Test
  void heldPubsGoInTheOrderTheyWereHeldWhileTheyFit() {
    OutboundBacklog b = backlog(100, NO_TIMEOUT_MS);
    b.added(200);
    for (int n = 0; n < 5; n++) {
      assertFalse(pub(b, n, 20));
    }
    b.removed(150); // 50 queued: room for the first two (90), not the third (110)
    assertEquals(List.of(0, 1), went());
    b.removed(50); // 40 reserved: the other three fit (100)
    assertEquals(List.of(0, 1, 2, 3, 4), went());
    assertEquals(100, b.reserved());
  }

  @Test
  void thousandsOfHeldPubsHoldNoThreadAndGoAsTheBacklogDrains() throws Exception {
    // one thread runs every held PUB: none of them may need a thread of its own while held
    var executor = Executors.newSingleThreadExecutor();
    try {
      CountDownLatch all = new CountDownLatch(10_000);
      OutboundBacklog b = new OutboundBacklog(100, NO_TIMEOUT_MS, executor, timer);
      b.added(1_000);
      for (int n = 0; n < 10_000; n++) {
        assertFalse(b.reserveOrHold(UUID.randomUUID(), 0, all::countDown));
      }
      assertEquals(10_000, b.held());
      b.removed(1_000);
      assertTrue(all.await(NO_TIMEOUT_MS, TimeUnit.MILLISECONDS));
      assertEquals(0, b.held());
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aFanOutAboveHalfTheLimitGoesOnceTheBacklogIsDownToHalf() {
    OutboundBacklog b = backlog(100, NO_TIMEOUT_MS);
    assertTrue(pub(b, 1, 1_000), "an empty node publishes it at once");
    assertEquals(1_000, b.reserved());
  }

  @Test
  void reservationsOfEventsThatNeverCameBackExpire() {
    OutboundBacklog b = backlog(100, 1_000);
    UUID pub = UUID.randomUUID();
    assertTrue(b.reserveOrHold(pub, 30, () -> {}));
    b.expireReservations(System.nanoTime());
    assertEquals(30, b.reserved(), "not yet");
    b.expireReservations(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
    assertEquals(0, b.reserved());
    b.release(pub); // the event came back after all: nothing more to release
    assertEquals(0, b.reserved());
  }

  @Test
  void aPubIsHeldNoLongerThanTheLongestWait() throws Exception {
    CountDownLatch went = new CountDownLatch(1);
    OutboundBacklog b = backlog(10, 100);
    b.added(1_000);
    long start = System.nanoTime();
    assertFalse(b.reserveOrHold(UUID.randomUUID(), 1, went::countDown));
    assertTrue(went.await(NO_TIMEOUT_MS, TimeUnit.MILLISECONDS));
    long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(heldMs >= 90, "held " + heldMs + " ms");
    assertEquals(1, b.reserved(), "published all the same: its frames are reserved");
    assertEquals(0, b.held());
  }

  @Test
  void zeroTurnsFlowControlOff() {
    OutboundBacklog b = backlog(0, NO_TIMEOUT_MS);
    b.added(1_000_000);
    assertTrue(pub(b, 1, 1_000));
    assertEquals(0, b.reserved());
  }
}
