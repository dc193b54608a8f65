package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutboundBacklogTest {

  @Test
  void aPublisherDoesNotWaitWithinTheLimit() throws Exception {
    OutboundBacklog b = new OutboundBacklog(10, 60_000);
    b.added(10);
    assertFalse(b.awaitRoom());
  }

  @Test
  void aPublisherWaitsAboveTheLimitUntilTheBacklogIsDownToHalf() throws Exception {
    OutboundBacklog b = new OutboundBacklog(10, 60_000);
    b.added(11);
    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return b.awaitRoom();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            },
            r -> new Thread(r).start());
    Thread.sleep(200);
    b.removed(5); // 6: under the limit, above half of it
    Thread.sleep(200);
    assertFalse(waited.isDone(), "still waiting above half the limit");
    b.removed(1); // 5
    assertTrue(waited.get(5, TimeUnit.SECONDS));
  }

  @Test
  void theWaitIsBounded() throws Exception {
    OutboundBacklog b = new OutboundBacklog(10, 100);
    b.added(1_000);
    long start = System.nanoTime();
    assertTrue(b.awaitRoom());
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(waitedMs >= 90 && waitedMs < 5_000, "waited " + waitedMs + " ms");
  }

  @Test
  void zeroTurnsFlowControlOff() throws Exception {
    OutboundBacklog b = new OutboundBacklog(0, 60_000);
    b.added(1_000_000);
    assertFalse(b.awaitRoom());
  }
}
