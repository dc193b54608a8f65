package dev.juggler.broker.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.broker.BrokerException;
import dev.juggler.broker.CallRequest;
import dev.juggler.broker.IncomingCall;
import dev.juggler.broker.Recorder;
import dev.juggler.broker.Subscriber;
import dev.juggler.protocol.message.Evnt;
import dev.juggler.protocol.message.RawJson;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only the in-process broker does: its threads, its store, its closing. */
class InMemoryBrokerTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();

  /** Time the tests let pass on the store's clock at once, instead of waiting for it. */
  private final AtomicLong skipped = new AtomicLong();

  private InMemoryStore store;
  private InMemoryBroker broker;

  @BeforeEach
  void setUp() {
    store = new InMemoryStore(() -> System.nanoTime() + skipped.get());
    broker = new InMemoryBroker(store, config());
  }

  @AfterEach
  void tearDown() {
    broker.close();
  }

  private InMemoryBrokerConfig config() {
    return InMemoryBrokerConfig.of()
        .withThreadFactory(
            r -> {
              Thread t = new Thread(r);
              t.setDaemon(true);
              threads.add(t);
              return t;
            });
  }

  private static CallRequest call(String uri, Duration timeout) {
    return new CallRequest(UUID.randomUUID(), UUID.randomUUID(), uri, RawJson.NULL, timeout);
  }

  @Test
  void aBrokerUsedOnlyByCalleesStartsNoThread() throws Exception {
    try (InMemoryBroker caller = new InMemoryBroker(store, InMemoryBrokerConfig.of())) {
      caller.call(call("f", LONG));
      IncomingCall taken = broker.take(List.of("f"), Duration.ofSeconds(5));
      assertTrue(broker.result(taken, RawJson.NULL));
      assertTrue(threads.isEmpty());
    }
  }

  @Test
  void oneThreadDeliversResultsAndEventsAndStopsOnClose() throws Exception {
    broker.results(UUID.randomUUID(), res -> {});
    broker.results(UUID.randomUUID(), res -> {});
    broker.subscriber(evnt -> {}).subscribe("c", false);
    assertEquals(2, threads.size(), "the delivery thread and its watch");
    List<Thread> started = List.copyOf(threads);
    for (Thread thread : started) {
      assertTrue(thread.isAlive());
    }

    broker.close();
    broker.close();
    for (Thread thread : started) {
      thread.join(5_000);
      assertFalse(thread.isAlive());
    }
    assertEquals(0, store.topics(), "the closed broker's subscriptions are gone");
    assertThrows(IllegalStateException.class, () -> broker.subscriber(evnt -> {}));
    assertThrows(IllegalStateException.class, () -> broker.results(UUID.randomUUID(), r -> {}));
  }

  @Test
  void closingABrokerFailsItsBlockedTakesWith503() throws Exception {
    CompletableFuture<IncomingCall> blocked =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return broker.take(List.of("f"), LONG);
              } catch (BrokerException e) {
                throw new IllegalStateException(e);
              }
            });
    // Not a synchronization: a take that starts after the close fails the same way.
    broker.close();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> blocked.get(5, TimeUnit.SECONDS));
    assertEquals(503, ((BrokerException) e.getCause().getCause()).code());
  }

  @Test
  void anInterruptedTakeReturnsNullWithItsFlagSet() throws Exception {
    Thread.currentThread().interrupt();
    try {
      assertNull(broker.take(List.of("f"), LONG));
      assertTrue(Thread.currentThread().isInterrupted());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aQueueNobodyTakesFromVanishesOnceItsCallsExpire() throws Exception {
    broker.call(call("abandoned", Duration.ofMillis(200)));
    broker.call(call("abandoned", Duration.ofMillis(250)));
    assertEquals(2, store.queuedCalls("abandoned"));
    skip(Duration.ofMillis(250)); // the calls' time-to-live passes
    broker.call(call("elsewhere", LONG)); // any use of the store drops expired queues
    assertEquals(0, store.queuedCalls("abandoned"));
    assertEquals(2, store.discardedCalls());
  }

  @Test
  void callCapacityDropsEveryExpiredCallBeforeRefusing() throws Exception {
    try (InMemoryBroker limited =
        new InMemoryBroker(store, InMemoryBrokerConfig.of().withCapacities(2, 0))) {
      limited.call(call("f", LONG));
      limited.call(call("f", Duration.ofMillis(50)));
      skip(Duration.ofMillis(50)); // the second call expires behind a live one
      limited.call(call("f", LONG));
      assertEquals(2, store.queuedCalls("f"));
      assertEquals(
          429, assertThrows(BrokerException.class, () -> limited.call(call("f", LONG))).code());
    }
  }

  @Test
  void resultsForAClosedCallerAreDropped() throws Exception {
    InMemoryBroker caller = new InMemoryBroker(store, InMemoryBrokerConfig.of());
    caller.call(call("f", LONG));
    caller.close();
    IncomingCall taken = broker.take(List.of("f"), Duration.ofSeconds(5));
    assertNotNull(taken);
    assertTrue(broker.result(taken, RawJson.NULL), "stored, as Redis would, for nobody");
  }

  @Test
  void theSharedStoreLetsTheBrokersOfSeparateModulesMeet() throws Exception {
    assertSame(InMemoryStore.shared(), InMemoryStore.shared());
    String uri = "shared-" + UUID.randomUUID(); // the store outlives this test
    try (InMemoryBroker web = new InMemoryBroker(InMemoryStore.shared(), config());
        InMemoryBroker callees = new InMemoryBroker(InMemoryStore.shared(), config())) {
      Recorder<Evnt> events = Recorder.ofEvents();
      Subscriber subscriber = web.subscriber(events.events());
      subscriber.subscribe(uri, false);
      callees.publish(uri, UUID.randomUUID(), new RawJson("1"));
      assertEquals("1", events.next().args().text());

      web.call(call(uri, LONG));
      assertNotNull(callees.take(List.of(uri), Duration.ofSeconds(5)));
    }
  }

  @Test
  void configRefusesNegativeCapacities() {
    assertThrows(
        IllegalArgumentException.class, () -> InMemoryBrokerConfig.of().withCapacities(-1, 0));
  }

  private void skip(Duration d) {
    skipped.addAndGet(d.toNanos());
  }
}
