package dev.juggler.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  @Test
  void tasksRunOneAtATimeInSubmissionOrderOnAPool() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      SerialExecutor serial = new SerialExecutor(pool);
      List<Integer> order = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(10_000);
      for (int i = 0; i < 10_000; i++) {
        int n = i;
        serial.execute(
            () -> {
              if (running.incrementAndGet() > 1) {
                overlaps.incrementAndGet();
              }
              order.add(n);
              running.decrementAndGet();
              done.countDown();
            });
      }
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(0, overlaps.get());
      for (int i = 0; i < order.size(); i++) {
        assertEquals(i, order.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aThrowingTaskDoesNotWedgeTheExecutor() {
    SerialExecutor serial = new SerialExecutor(Runnable::run);
    assertThrows(
        IllegalStateException.class,
        () ->
            serial.execute(
                () -> {
                  throw new IllegalStateException("boom");
                }));
    List<String> ran = new ArrayList<>();
    serial.execute(() -> ran.add("after"));
    assertEquals(List.of("after"), ran);
  }

  @Test
  void shutdownRejectsNewTasksAndDropsQueuedOnes() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      SerialExecutor serial = new SerialExecutor(pool);
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<String> ran = Collections.synchronizedList(new ArrayList<>());
      serial.execute(
          () -> {
            started.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      serial.execute(() -> ran.add("queued"));
      assertTrue(started.await(5, TimeUnit.SECONDS));
      serial.shutdown();
      release.countDown();
      assertThrows(RejectedExecutionException.class, () -> serial.execute(() -> ran.add("late")));
      pool.shutdown();
      assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
      assertEquals(List.of(), ran);
    } finally {
      pool.shutdownNow();
    }
  }
}
