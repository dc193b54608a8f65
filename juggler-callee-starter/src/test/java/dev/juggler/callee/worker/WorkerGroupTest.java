package dev.juggler.callee.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.callee.function.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starting and stopping loops, on a plain executor standing in for the container's. */
class WorkerGroupTest {
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() throws InterruptedException {
    executor.shutdownNow();
    assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
  }

  @Test
  void stopsBlockedLoopsWithinTheBound() throws Exception {
    InMemoryCalleeBrokerFake broker = new InMemoryCalleeBrokerFake();
    Logger log = Logger.getAnonymousLogger();
    log.setUseParentHandlers(false);
    WorkerSetup setup =
        new WorkerSetup(
            broker,
            call -> Outcome.success(call.args()),
            List.of("u"),
            Duration.ofSeconds(30), // far longer than the stop bound: only the interrupt ends it
            1,
            new CalleeStats(),
            new OutageLog(log),
            Sleeper.THREAD,
            WorkerSetup.BROKER_BACKOFF);
    WorkerGroup group = new WorkerGroup();
    group.start(3, i -> new WorkerLoop(setup, group.stopRequested()), (r, i) -> executor.submit(r));
    assertTrue(broker.takeStarted.tryAcquire(3, 5, TimeUnit.SECONDS), "3 loops taking");
    assertEquals(3, group.running());

    assertTrue(group.stop(Duration.ofMillis(100), Duration.ofSeconds(5)));
    assertEquals(0, group.running());
  }

  @Test
  void aTaskThatFinishesWithinTheDrainWaitIsNotInterrupted() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    WorkerGroup group = new WorkerGroup();
    group.start(
        1,
        i ->
            () -> {
              started.countDown();
              try {
                Thread.sleep(300); // a call in flight, shorter than the drain wait
              } catch (InterruptedException e) {
                interrupted.set(true);
              }
            },
        (r, i) -> executor.submit(r));
    assertTrue(started.await(5, TimeUnit.SECONDS));
    assertTrue(group.stop(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    assertFalse(interrupted.get(), "interrupted although it finished within the drain wait");
  }

  @Test
  void reportsTasksThatOutliveTheBound() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    WorkerGroup group = new WorkerGroup();
    group.start(
        1,
        i ->
            () -> {
              started.countDown();
              // Ignores interrupts, like a function stuck in non-interruptible I/O.
              boolean done = false;
              while (!done) {
                try {
                  done = release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  // keep waiting
                }
              }
            },
        (r, i) -> executor.submit(r));
    assertTrue(started.await(5, TimeUnit.SECONDS));
    assertFalse(group.stop(Duration.ofMillis(50), Duration.ofMillis(50)));
    assertEquals(1, group.running());
    release.countDown();
  }

  @Test
  void taskStartingAfterStopDoesNotRun() {
    WorkerGroup group = new WorkerGroup();
    List<Runnable> queued = new ArrayList<>();
    group.start(
        1,
        i ->
            () -> {
              throw new AssertionError("must not run");
            },
        (r, i) -> {
          queued.add(r);
          return CompletableFuture.completedFuture(null);
        });
    assertTrue(group.stop(Duration.ofMillis(10), Duration.ofMillis(10)));
    queued.get(0).run(); // the executor runs it late: nothing happens
    assertEquals(0, group.running());
  }

  @Test
  void failedSubmissionStopsTheStartedTasks() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    WorkerGroup group = new WorkerGroup();
    assertThrows(
        RejectedExecutionException.class,
        () ->
            group.start(
                2,
                i ->
                    () -> {
                      started.countDown();
                      try {
                        Thread.sleep(TimeUnit.MINUTES.toMillis(1));
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                      }
                    },
                (r, i) -> {
                  if (i == 1) {
                    awaitQuietly(started); // the first task is running when the second is refused
                    throw new RejectedExecutionException("full");
                  }
                  return executor.submit(r);
                }));
    assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the started task was interrupted");
    assertEquals(0, group.running());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertTrue(latch.await(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
