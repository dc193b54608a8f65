package dev.juggler.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.client.CallExpiredException;
import dev.juggler.client.ConnectionLostException;
import dev.juggler.client.NackException;
import dev.juggler.protocol.message.RawJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {
  private static final Duration LONG = Duration.ofMinutes(1);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final PendingRequests<RawJson> pending = new PendingRequests<>(timer);

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private CompletableFuture<RawJson> register(UUID id, Duration timeout) {
    return pending.register(id, timeout, () -> new CallExpiredException("u", timeout));
  }

  @Test
  void answerCompletesOnceAndCancelsTheTimer() throws Exception {
    UUID id = UUID.randomUUID();
    CompletableFuture<RawJson> f = register(id, LONG);
    assertTrue(pending.complete(id, new RawJson("1")));
    assertEquals("1", f.get(1, TimeUnit.SECONDS).text());
    assertFalse(pending.complete(id, new RawJson("2")), "a second answer is dropped");
    assertEquals(0, pending.size());
  }

  @Test
  void expiresWhenNoAnswerComesAndDropsALateOne() throws Exception {
    UUID id = UUID.randomUUID();
    CompletableFuture<RawJson> f = register(id, Duration.ofMillis(50));
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
    assertInstanceOf(CallExpiredException.class, e.getCause());
    assertFalse(pending.complete(id, new RawJson("\"late\"")));
    assertTrue(f.isCompletedExceptionally());
    assertEquals(0, pending.size());
  }

  @Test
  void unknownOrNullIdsAreIgnored() {
    assertFalse(pending.complete(UUID.randomUUID(), RawJson.NULL));
    assertFalse(pending.complete(null, RawJson.NULL));
    assertFalse(pending.fail(null, new NackException(500, "x")));
  }

  @Test
  void failAllFailsEveryPendingRequest() {
    List<CompletableFuture<RawJson>> futures = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      futures.add(register(UUID.randomUUID(), LONG));
    }
    pending.failAll(new ConnectionLostException("gone", null));
    for (CompletableFuture<RawJson> f : futures) {
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> f.get(0, TimeUnit.SECONDS));
      assertInstanceOf(ConnectionLostException.class, e.getCause());
    }
    assertEquals(0, pending.size());
  }

  @Test
  void answerRacingTheTimeoutCompletesExactlyOnce() throws Exception {
    for (int i = 0; i < 200; i++) {
      UUID id = UUID.randomUUID();
      CompletableFuture<RawJson> f = register(id, Duration.ofMillis(1));
      boolean answered = pending.complete(id, RawJson.NULL);
      try {
        f.get(5, TimeUnit.SECONDS);
        assertTrue(answered, "completed normally only by the answer");
      } catch (ExecutionException e) {
        assertFalse(answered, "expired only when the answer was dropped");
      }
    }
  }

  @Test
  void registeringOnAStoppedTimerFailsAtOnce() {
    timer.shutdownNow();
    CompletableFuture<RawJson> f = register(UUID.randomUUID(), LONG);
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(0, TimeUnit.SECONDS));
    assertInstanceOf(ConnectionLostException.class, e.getCause());
    assertEquals(0, pending.size());
  }
}
