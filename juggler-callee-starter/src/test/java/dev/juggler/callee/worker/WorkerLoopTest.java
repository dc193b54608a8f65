package dev.juggler.callee.worker;

import static dev.juggler.callee.function.TestInvokers.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.backoff.Backoff;
import dev.juggler.broker.BrokerException;
import dev.juggler.broker.IncomingCall;
import dev.juggler.callee.function.CallHandler;
import dev.juggler.callee.function.Outcome;
import dev.juggler.protocol.message.RawJson;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker loop's logic against {@link InMemoryCalleeBrokerFake}; no Redis, no container. */
class WorkerLoopTest {
  private static final Duration TAKE_WAIT = Duration.ofMillis(10);
  private static final int CALLS_PER_TAKE = 8;

  private final InMemoryCalleeBrokerFake broker = new InMemoryCalleeBrokerFake();
  private final CalleeStats stats = new CalleeStats();
  private final AtomicBoolean stop = new AtomicBoolean();

  /** The workers' backoff without its jitter, so that the delays can be compared. */
  private static final Backoff NO_JITTER =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), () -> 1.0);

  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final AtomicInteger handled = new AtomicInteger();
  private final Logger log = Logger.getAnonymousLogger();
  private ExecutorService thread;
  private OutageLog outage;

  /** Echoes the arguments; counts calls. */
  private final CallHandler echo =
      call -> {
        handled.incrementAndGet();
        return Outcome.success(call.args());
      };

  @BeforeEach
  void setUp() {
    log.setUseParentHandlers(false); // the failures below are expected; keep the output clean
    outage = new OutageLog(log);
    thread = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    stop.set(true);
    thread.shutdownNow();
    assertTrue(thread.awaitTermination(5, TimeUnit.SECONDS));
  }

  private WorkerLoop loop(CallHandler handler, Sleeper sleeper) {
    WorkerSetup setup =
        new WorkerSetup(
            broker,
            handler,
            List.of("test.echo"),
            TAKE_WAIT,
            CALLS_PER_TAKE,
            stats,
            outage,
            sleeper,
            NO_JITTER);
    return new WorkerLoop(setup, stop::get);
  }

  /** Records back-off waits instead of sleeping, and stops the loop after {@code max} of them. */
  private Sleeper recordingSleeper(int max) {
    return d -> {
      sleeps.add(d);
      if (sleeps.size() >= max) {
        stop.set(true);
      }
    };
  }

  @Test
  void takesCallsAndStoresTheirResults() throws Exception {
    Future<?> running = thread.submit(loop(echo, Sleeper.THREAD));
    IncomingCall call = call("test.echo", "\"hi\"");
    broker.willReturn(call);
    InMemoryCalleeBrokerFake.Delivered d = broker.delivered.poll(5, TimeUnit.SECONDS);
    assertNotNull(d, "no result stored");
    assertEquals(call, d.call());
    assertEquals(new RawJson("\"hi\""), d.result());
    stop.set(true);
    running.get(5, TimeUnit.SECONDS);
    assertEquals(1, stats.executed());
    assertEquals(0, stats.failed());
  }

  @Test
  void storesEachResultTogetherWithTheNextTake() throws Exception {
    IncomingCall first = call("test.echo", "1");
    IncomingCall second = call("test.echo", "2");
    broker.willReturn(first);
    broker.willReturn(second);
    Future<?> running = thread.submit(loop(echo, Sleeper.THREAD));
    assertEquals(first, broker.delivered.poll(5, TimeUnit.SECONDS).call());
    assertEquals(second, broker.delivered.poll(5, TimeUnit.SECONDS).call());
    stop.set(true);
    running.get(5, TimeUnit.SECONDS);
    assertEquals(2, broker.resultThenTakes.get(), "both results went with a take");
    assertEquals(2, stats.executed());
  }

  /** The clock the loops of the tests below measure calls by: only a slow call moves it. */
  private final AtomicLong now = new AtomicLong();

  /**
   * Echoes the arguments; for {@code "slow"} runs 2 ms (longer than a short call) by {@link #now}.
   */
  private final CallHandler slowOnRequest =
      call -> {
        if (call.args().text().equals("\"slow\"")) {
          now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return echo.handle(call);
      };

  @Test
  void takesSeveralCallsAtOnceOnlyWhileCallsRunShort() throws Exception {
    IncomingCall a = call("test.echo", "\"a\"");
    IncomingCall b = call("test.echo", "\"b\"");
    IncomingCall c = call("test.echo", "\"c\"");
    IncomingCall slow = call("test.echo", "\"slow\"");
    IncomingCall d = call("test.echo", "\"d\"");
    broker.willReturn(a);
    broker.willReturnAll(List.of(b, c));
    broker.willReturn(slow);
    broker.willReturn(d);
    Future<?> running = thread.submit(loop(slowOnRequest, Sleeper.THREAD).measuringBy(now::get));
    for (IncomingCall expected : List.of(a, b, c, slow, d)) {
      assertEquals(expected, broker.delivered.poll(5, TimeUnit.SECONDS).call());
    }
    stop.set(true);
    running.get(5, TimeUnit.SECONDS);
    int max = CALLS_PER_TAKE;
    assertEquals(List.of(1, max, max, 1, max), broker.takeMaxes.subList(0, 5));
    assertEquals(5, broker.resultThenTakes.get(), "every result went with a take");
  }

  @Test
  void resultsThatWaitedLongForTheCallsTakenWithThemAreStoredFirst() throws Exception {
    IncomingCall a = call("test.echo", "\"a\"");
    IncomingCall slow = call("test.echo", "\"slow\"");
    IncomingCall b = call("test.echo", "\"b\"");
    broker.willReturn(call("test.echo", "\"first\"")); // a short call: the next take brings several
    broker.willReturnAll(List.of(a, slow, b));
    Future<?> running = thread.submit(loop(slowOnRequest, Sleeper.THREAD).measuringBy(now::get));
    broker.delivered.poll(5, TimeUnit.SECONDS);
    for (IncomingCall expected : List.of(a, slow, b)) {
      assertEquals(expected, broker.delivered.poll(5, TimeUnit.SECONDS).call());
    }
    stop.set(true);
    running.get(5, TimeUnit.SECONDS);
    // The first result went with the second take; a's had waited 2 ms once the slow call was
    // over, so a's and the slow call's were stored before b ran; b's went with the third take.
    assertEquals(2, broker.resultThenTakes.get());
    assertEquals(4, stats.executed());
  }

  @Test
  void aStopAskedForWhileServingStoresTheResultAndTakesNoMore() throws Exception {
    CallHandler stopping =
        call -> {
          stop.set(true);
          return Outcome.success(call.args());
        };
    IncomingCall first = call("test.echo", "1");
    broker.willReturn(first);
    broker.willReturn(call("test.echo", "2"));
    thread.submit(loop(stopping, Sleeper.THREAD)).get(5, TimeUnit.SECONDS);
    assertEquals(first, broker.delivered.poll(5, TimeUnit.SECONDS).call());
    assertTrue(broker.delivered.isEmpty());
    assertEquals(1, broker.takes.get(), "no take after the stop");
    assertEquals(0, broker.resultThenTakes.get());
  }

  @Test
  void aResultThatFailsWithTheNextTakeIsCountedAndTheTakeGoesOn() throws Exception {
    broker.resultMode = InMemoryCalleeBrokerFake.ResultMode.UNAVAILABLE;
    broker.willReturn(call("test.echo", "1"));
    IncomingCall second = call("test.echo", "2");
    broker.willRun(
        () -> {
          broker.resultMode = InMemoryCalleeBrokerFake.ResultMode.STORE;
          return second;
        });
    Future<?> running = thread.submit(loop(echo, Sleeper.THREAD));
    assertEquals(second, broker.delivered.poll(5, TimeUnit.SECONDS).call());
    stop.set(true);
    running.get(5, TimeUnit.SECONDS);
    assertEquals(1, stats.resultsDropped());
    assertEquals(1, stats.brokerErrors());
    assertEquals(2, stats.executed());
  }

  @Test
  void stopsWhenTheFlagIsSet() throws Exception {
    Future<?> running = thread.submit(loop(echo, Sleeper.THREAD));
    stop.set(true);
    running.get(5, TimeUnit.SECONDS);
    assertTrue(running.isDone());
  }

  @Test
  void stopsWhenInterrupted() throws Exception {
    AtomicBoolean returned = new AtomicBoolean();
    WorkerLoop loop = loop(echo, Sleeper.THREAD);
    Future<?> running =
        thread.submit(
            () -> {
              loop.run();
              returned.set(true);
            });
    assertTrue(broker.takeStarted.tryAcquire(5, TimeUnit.SECONDS), "the loop never took");
    thread.shutdownNow(); // interrupts, as Future.cancel(true) does in the container
    assertTrue(thread.awaitTermination(5, TimeUnit.SECONDS));
    assertTrue(returned.get());
    assertFalse(stop.get());
    assertTrue(running.isDone());
  }

  @Test
  void backsOffExponentiallyWhileTheBrokerFails() {
    for (int i = 0; i < 8; i++) {
      broker.willFail(BrokerException.unavailable(new IOException("connection refused")));
    }
    loop(echo, recordingSleeper(8)).run();
    assertEquals(
        List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L),
        sleeps.stream().map(Duration::toMillis).toList());
    assertEquals(8, stats.brokerErrors());
    assertTrue(outage.isDown());
  }

  @Test
  void runtimeFailuresBackOffToo() {
    broker.willFail(new IllegalStateException("pool closed"));
    broker.willFail(new UnsupportedOperationException("not yet implemented"));
    loop(echo, recordingSleeper(2)).run();
    assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), sleeps);
  }

  @Test
  void backOffStartsAgainAfterASuccess() {
    broker.willFail(BrokerException.unavailable(new IOException("down")));
    broker.willFail(BrokerException.unavailable(new IOException("down")));
    broker.willReturnNothing();
    broker.willFail(BrokerException.unavailable(new IOException("down again")));
    loop(echo, recordingSleeper(3)).run();
    assertEquals(List.of(100L, 200L, 100L), sleeps.stream().map(Duration::toMillis).toList());
  }

  @Test
  void interruptedBackOffEndsTheLoop() throws Exception {
    broker.willFail(BrokerException.unavailable(new IOException("down")));
    WorkerLoop loop =
        loop(
            echo,
            d -> {
              throw new InterruptedException();
            });
    Future<Boolean> interrupted =
        thread.submit(
            () -> {
              loop.run();
              return Thread.currentThread().isInterrupted();
            });
    assertTrue(interrupted.get(5, TimeUnit.SECONDS));
  }

  /** Serves {@code call} as the last call before a stop: its result is stored, nothing taken. */
  private void serveLast(WorkerLoop loop, IncomingCall call) {
    stop.set(true);
    try {
      assertTrue(loop.serveThenTake(List.of(call)).isEmpty(), "nothing taken after a stop");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertEquals(0, broker.takes.get());
  }

  @Test
  void skipsCallsThatExpiredBeforeTheyWereTaken() {
    serveLast(loop(echo, Sleeper.THREAD), call("test.echo", "\"late\"", -1));
    assertEquals(1, stats.expiredOnArrival());
    assertEquals(0, handled.get());
    assertEquals(0, stats.executed());
    assertTrue(broker.delivered.isEmpty());
  }

  @Test
  void countsFailedCalls() {
    serveLast(
        loop(c -> Outcome.failure(new RawJson("{\"error\":{\"message\":\"x\"}}")), Sleeper.THREAD),
        call("test.echo", "5"));
    assertEquals(1, stats.executed());
    assertEquals(1, stats.failed());
    assertEquals(1, broker.delivered.size());
  }

  @Test
  void countsDroppedResults() {
    WorkerLoop loop = loop(echo, Sleeper.THREAD);
    broker.resultMode = InMemoryCalleeBrokerFake.ResultMode.EXPIRED;
    serveLast(loop, call("test.echo", "\"a\""));
    broker.resultMode = InMemoryCalleeBrokerFake.ResultMode.CAPACITY_EXCEEDED;
    serveLast(loop, call("test.echo", "\"b\""));
    assertEquals(2, stats.resultsDropped());
    assertEquals(0, stats.brokerErrors());
    assertFalse(outage.isDown());

    broker.resultMode = InMemoryCalleeBrokerFake.ResultMode.UNAVAILABLE;
    serveLast(loop, call("test.echo", "\"c\""));
    assertEquals(3, stats.resultsDropped());
    assertEquals(1, stats.brokerErrors());
    assertTrue(outage.isDown());
  }

  @Test
  void resultOfAnInterruptedFunctionIsStillStored() throws Exception {
    CallHandler interrupted =
        call -> {
          Thread.currentThread().interrupt(); // as a sleeping function does when cancelled
          return Outcome.failure(new RawJson("{\"error\":{\"message\":\"interrupted\"}}"));
        };
    broker.willReturn(call("test.echo", "\"x\""));
    Future<Boolean> flagAfterLoop =
        thread.submit(
            () -> {
              loop(interrupted, Sleeper.THREAD).run();
              return Thread.interrupted();
            });
    assertTrue(flagAfterLoop.get(5, TimeUnit.SECONDS), "interrupt flag restored, loop ended");
    InMemoryCalleeBrokerFake.Delivered d = broker.delivered.poll(5, TimeUnit.SECONDS);
    assertNotNull(d);
    assertFalse(d.interruptFlagWhileStoring());
  }

  @Test
  void callTakenWhileStoppingIsStillAnswered() throws Exception {
    IncomingCall call = call("test.echo", "\"last\"");
    broker.willRun(
        () -> {
          stop.set(true);
          return call;
        });
    thread.submit(loop(echo, Sleeper.THREAD)).get(5, TimeUnit.SECONDS);
    assertEquals(call, broker.delivered.poll(5, TimeUnit.SECONDS).call());
  }
}
