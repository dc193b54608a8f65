package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutboundBacklogTest {

  private static CompletableFuture<Boolean> awaitRoomAsync(OutboundBacklog b, int fanout) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return b.awaitRoom(UUID.randomUUID(), fanout);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        },
        r -> new Thread(r).start());
  }

  @Test
  void aPublisherDoesNotWaitWithinTheLimit() throws Exception {
    OutboundBacklog b = new OutboundBacklog(10, 60_000);
    b.added(9);
    assertFalse(b.awaitRoom(UUID.randomUUID(), 1));
  }

  @Test
  void aPublisherWaitsAboveTheLimitUntilTheBacklogIsDownToHalf() throws Exception {
    OutboundBacklog b = new OutboundBacklog(10, 60_000);
    b.added(11);
    CompletableFuture<Boolean> waited = awaitRoomAsync(b, 0);
    Thread.sleep(200);
    b.removed(5); // 6: under the limit, above half of it
    Thread.sleep(200);
    assertFalse(waited.isDone(), "still waiting above half the limit");
    b.removed(1); // 5
    assertTrue(waited.get(5, TimeUnit.SECONDS));
  }

  @Test
  void aPubIsThrottledByTheFramesItWillAdd() throws Exception {
    OutboundBacklog b = new OutboundBacklog(100, 60_000);
    UUID first = UUID.randomUUID();
    assertFalse(b.awaitRoom(first, 40), "room for 40 frames");
    assertEquals(40, b.reserved());
    assertFalse(b.awaitRoom(UUID.randomUUID(), 40), "room for 40 more");
    // 80 reserved: a third PUB of 40 would make 120
    CompletableFuture<Boolean> third = awaitRoomAsync(b, 40);
    Thread.sleep(200);
    assertFalse(third.isDone(), "waits while its fan-out does not fit");
    // the first event came back: its frames are counted as queued now (counted before its
    // reservation goes, so that the waiter never sees less than the 80 frames that there are)
    b.added(40);
    b.release(first);
    Thread.sleep(200);
    assertFalse(third.isDone(), "80 counted, still above half the limit");
    b.removed(40); // sent: 40 left, reserved by the second PUB
    assertTrue(third.get(5, TimeUnit.SECONDS));
    assertEquals(80, b.reserved(), "the second and third PUBs' reservations");
  }

  @Test
  void aFanOutAboveHalfTheLimitGoesOnceTheBacklogIsDownToHalf() throws Exception {
    OutboundBacklog b = new OutboundBacklog(100, 60_000);
    assertFalse(b.awaitRoom(UUID.randomUUID(), 1_000), "an empty node publishes it at once");
    assertEquals(1_000, b.reserved());
  }

  @Test
  void reservationsOfEventsThatNeverCameBackExpire() throws Exception {
    OutboundBacklog b = new OutboundBacklog(100, 1_000);
    UUID pub = UUID.randomUUID();
    b.awaitRoom(pub, 30);
    b.expireReservations(System.nanoTime());
    assertEquals(30, b.reserved(), "not yet");
    b.expireReservations(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
    assertEquals(0, b.reserved());
    b.release(pub); // the event came back after all: nothing more to release
    assertEquals(0, b.reserved());
  }

  @Test
  void theWaitIsBounded() throws Exception {
    OutboundBacklog b = new OutboundBacklog(10, 100);
    b.added(1_000);
    long start = System.nanoTime();
    assertTrue(b.awaitRoom(UUID.randomUUID(), 1));
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(waitedMs >= 90, "waited " + waitedMs + " ms");
    assertEquals(1, b.reserved(), "published all the same: its frames are reserved");
  }

  @Test
  void zeroTurnsFlowControlOff() throws Exception {
    OutboundBacklog b = new OutboundBacklog(0, 60_000);
    b.added(1_000_000);
    assertFalse(b.awaitRoom(UUID.randomUUID(), 1_000));
    assertEquals(0, b.reserved());
  }
}
