package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.websocket.RemoteEndpoint;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's ordering and bounds, against a scripted blocking remote endpoint: drained by the
 * test itself, or, where a send must stay blocked, by a {@link WriterPool} of its own.
 */
class ConnWriterTest {
  /**
   * The longest the test waits for a pool thread to do what it must; a correct writer does it at
   * once. Settable with {@code -Djuggler.test.writer-wait-ms}.
   */
  static final Duration WAIT =
      Duration.ofMillis(Long.getLong("juggler.test.writer-wait-ms", 30_000));

  /** Counts the frames of every writer of a test; each test ends with what it left queued. */
  private final OutboundBacklog backlog =
      new OutboundBacklog(0, 0, Runnable::run, null); // counts frames only

  private static final String PING = "<ping>";

  private WriterPool pool;

  @AfterEach
  void stopPool() {
    if (pool != null) {
      pool.stop();
    }
  }

  /**
   * A blocking remote endpoint. A send returns at once, or, while {@code blocking}, once the test
   * lets it go ({@link #release}); it throws while {@code fail}.
   */
  static final class ScriptedRemote {
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    final Semaphore go = new Semaphore(0);
    volatile boolean blocking;
    volatile boolean fail;

    RemoteEndpoint.Basic proxy() {
      return (RemoteEndpoint.Basic)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {RemoteEndpoint.Basic.class},
              (p, m, args) -> {
                if (m.getName().equals("sendText") && args.length == 1) {
                  sent.add((String) args[0]);
                  if (fail) {
                    throw new IOException("broken pipe");
                  }
                  if (blocking) {
                    go.acquire();
                  }
                  return null;
                }
                if (m.getName().equals("sendPing")) {
                  sent.add(PING);
                  return null;
                }
                throw new UnsupportedOperationException(m.getName());
              });
    }

    /** Lets {@code n} blocked sends complete. */
    void release(int n) {
      go.release(n);
    }
  }

  /** Schedules into a list that the test drains on its own thread. */
  static final class ManualScheduler implements ConnWriter.Scheduler {
    final ArrayDeque<ConnWriter> scheduled = new ArrayDeque<>();
    int schedules;

    @Override
    public synchronized void schedule(ConnWriter writer) {
      scheduled.add(writer);
      schedules++;
    }

    /** Drains every scheduled writer, turn after turn, until none has frames left. */
    void runAll() {
      while (true) {
        ConnWriter w;
        synchronized (this) {
          w = scheduled.poll();
        }
        if (w == null) {
          return;
        }
        if (w.drain()) {
          schedule(w);
        }
      }
    }
  }

  static final class RecordingListener implements ConnWriter.Listener {
    final AtomicReference<String> event = new AtomicReference<>();

    @Override
    public void onSlowReader(boolean timedOut) {
      event.set(timedOut ? "timeout" : "full");
    }

    @Override
    public void onSendFailed(Throwable cause) {
      event.set("failed: " + cause.getMessage());
    }

    @Override
    public void onWriteTimeout() {
      event.set("write timeout");
    }
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("not within " + WAIT + ": " + what);
      }
      Thread.sleep(1);
    }
  }

  private ConnWriter writer(
      ScriptedRemote remote, RecordingListener listener, ConnWriter.Scheduler scheduler) {
    return writer(remote, listener, backlog, scheduler, 10, 0, 0, 0);
  }

  private static ConnWriter writer(
      ScriptedRemote remote,
      RecordingListener listener,
      OutboundBacklog backlog,
      ConnWriter.Scheduler scheduler,
      int capacity,
      long maxBytes,
      long queueTimeoutNanos,
      long writeTimeoutNanos) {
    return new ConnWriter(
        remote.proxy(),
        listener,
        backlog,
        scheduler,
        capacity,
        maxBytes,
        queueTimeoutNanos,
        writeTimeoutNanos);
  }

  /** A pool of one thread, for tests whose send stays blocked. */
  private WriterPool onePool() {
    pool = new WriterPool(Executors.defaultThreadFactory(), 1);
    return pool;
  }

  @Test
  void finishWithNothingQueuedRunsAtOnceAndRefusesLaterFrames() {
    ScriptedRemote remote = new ScriptedRemote();
    ManualScheduler scheduler = new ManualScheduler();
    ConnWriter w = writer(remote, new RecordingListener(), scheduler);
    AtomicInteger ran = new AtomicInteger();
    w.finish(ran::incrementAndGet);
    assertEquals(1, ran.get());
    assertFalse(w.offer("too late"));
    w.finish(ran::incrementAndGet);
    assertEquals(1, ran.get(), "once");
    scheduler.runAll();
    assertEquals(List.of(), remote.sent);
  }

  @Test
  void finishSendsWhatIsQueuedBeforeItRuns() {
    ScriptedRemote remote = new ScriptedRemote();
    ManualScheduler scheduler = new ManualScheduler();
    ConnWriter w = writer(remote, new RecordingListener(), scheduler);
    assertTrue(w.offer("m0"));
    assertTrue(w.offer("m1"));
    assertTrue(w.offer("m2"));
    AtomicInteger ran = new AtomicInteger();
    w.finish(ran::incrementAndGet);
    assertFalse(w.offer("after finish"), "nothing new is queued while finishing");
    assertEquals(0, ran.get(), "nothing is sent yet");
    scheduler.runAll();
    assertEquals(List.of("m0", "m1", "m2"), remote.sent);
    assertEquals(1, ran.get());
    assertEquals(0, backlog.frames());
  }

  @Test
  void aFailedSendStillRunsWhatFinishWaitedFor() {
    ScriptedRemote remote = new ScriptedRemote();
    remote.fail = true;
    ManualScheduler scheduler = new ManualScheduler();
    RecordingListener listener = new RecordingListener();
    ConnWriter w = writer(remote, listener, scheduler);
    assertTrue(w.offer("m0"));
    assertTrue(w.offer("m1"));
    AtomicInteger ran = new AtomicInteger();
    w.finish(ran::incrementAndGet);
    scheduler.runAll();
    assertEquals("failed: broken pipe", listener.event.get());
    assertEquals(List.of("m0"), remote.sent);
    assertEquals(1, ran.get());
    assertEquals(0, backlog.frames(), "m1 was dropped with the writer");
  }

  @Test
  void stopWhileFinishingDropsTheQueueAndWhatFinishWaitedFor() {
    ScriptedRemote remote = new ScriptedRemote();
    ManualScheduler scheduler = new ManualScheduler();
    ConnWriter w = writer(remote, new RecordingListener(), scheduler);
    assertTrue(w.offer("m0"));
    assertTrue(w.offer("m1"));
    AtomicInteger ran = new AtomicInteger();
    w.finish(ran::incrementAndGet);
    w.stop(); // the connection is closed another way meanwhile
    scheduler.runAll();
    assertEquals(List.of(), remote.sent);
    assertEquals(0, ran.get());
    assertEquals(0, backlog.frames());
  }

  @Test
  void sendsInOrderFromOneScheduleAndTakesTurns() {
    ScriptedRemote remote = new ScriptedRemote();
    ManualScheduler scheduler = new ManualScheduler();
    ConnWriter w = writer(remote, new RecordingListener(), backlog, scheduler, 1_000, 0, 0, 0);
    List<String> offered = new ArrayList<>();
    for (int i = 0; i < 3 * WriterPool.BATCH; i++) {
      offered.add("m" + i);
      assertTrue(w.offer("m" + i));
    }
    assertEquals(1, scheduler.schedules, "scheduled once while it has frames");
    assertTrue(w.drain(), "frames left after one turn");
    assertEquals(WriterPool.BATCH, remote.sent.size(), "one turn sends at most a batch");
    scheduler.runAll(); // the turn above left it scheduled: the scheduler's entry goes on
    assertEquals(offered, remote.sent);
    assertEquals(0, w.queued());
    assertEquals(0, backlog.frames());
    int schedules = scheduler.schedules;
    assertTrue(w.offer("later"));
    assertEquals(
        schedules + 1,
        scheduler.schedules,
        "an emptied writer is scheduled again by its next frame");
  }

  @Test
  void fullQueueStopsTheWriterInsteadOfGrowing() {
    ScriptedRemote remote = new ScriptedRemote();
    RecordingListener listener = new RecordingListener();
    ConnWriter w = writer(remote, listener, backlog, new ManualScheduler(), 3, 0, 0, 0);
    assertTrue(w.offer("q1"));
    assertTrue(w.offer("q2"));
    assertTrue(w.offer("q3"));
    assertEquals(3, backlog.frames());
    assertNull(listener.event.get());
    assertFalse(w.offer("one too many"));
    assertEquals("full", listener.event.get());
    assertEquals(0, w.queued());
    assertEquals(0, backlog.frames(), "what the full queue held left the backlog");
    assertFalse(w.offer("after stop"));
  }

  @Test
  void oldQueueHeadStopsTheWriter() throws InterruptedException {
    ScriptedRemote remote = new ScriptedRemote();
    RecordingListener listener = new RecordingListener();
    ConnWriter w =
        writer(
            remote,
            listener,
            backlog,
            new ManualScheduler(), // never drained: the client does not read
            100,
            0,
            TimeUnit.MILLISECONDS.toNanos(20),
            0);
    assertTrue(w.offer("waits"));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (w.offer("more") && System.nanoTime() < deadline) {
      Thread.sleep(5); // lets the head age; the writer must give up within the queue timeout
    }
    assertEquals("timeout", listener.event.get());
  }

  @Test
  void failedSendIsReportedOnce() {
    ScriptedRemote remote = new ScriptedRemote();
    remote.fail = true;
    RecordingListener listener = new RecordingListener();
    ManualScheduler scheduler = new ManualScheduler();
    ConnWriter w = writer(remote, listener, scheduler);
    w.offer("a");
    scheduler.runAll();
    assertEquals("failed: broken pipe", listener.event.get());
    listener.event.set(null);
    assertFalse(w.offer("b"));
    scheduler.runAll();
    assertNull(listener.event.get());
  }

  @Test
  void concurrentProducersKeepEachProducersOrder() throws Exception {
    ScriptedRemote remote = new ScriptedRemote();
    pool = new WriterPool(Executors.defaultThreadFactory(), 2);
    ConnWriter w = writer(remote, new RecordingListener(), backlog, pool, 1_000_000, 0, 0, 0);
    ExecutorService producers = Executors.newFixedThreadPool(4);
    CountDownLatch done = new CountDownLatch(4);
    for (int p = 0; p < 4; p++) {
      int producer = p;
      producers.execute(
          () -> {
            for (int i = 0; i < 5_000; i++) {
              w.offer(producer + ":" + i);
            }
            done.countDown();
          });
    }
    assertTrue(done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    producers.shutdown();
    await(() -> remote.sent.size() == 20_000, "all 20,000 frames sent");
    int[] next = new int[4];
    for (String s : List.copyOf(remote.sent)) {
      String[] parts = s.split(":");
      int producer = Integer.parseInt(parts[0]);
      assertEquals(next[producer]++, Integer.parseInt(parts[1]), "order of producer " + producer);
    }
    await(() -> backlog.frames() == 0, "the backlog empty");
  }

  @Test
  void tooManyQueuedBytesStopTheWriter() {
    ScriptedRemote remote = new ScriptedRemote();
    RecordingListener listener = new RecordingListener();
    ConnWriter w = writer(remote, listener, backlog, new ManualScheduler(), 1_000, 10, 0, 0);
    assertTrue(w.offer("x".repeat(25)), "one frame always fits an empty queue");
    assertEquals(25, w.queuedBytes());
    assertFalse(w.offer("y"), "26 bytes would be queued");
    assertEquals("full", listener.event.get());
    assertEquals(0, w.queuedBytes());
    assertEquals(0, backlog.frames());
  }

  @Test
  void theSweepStopsAWriterWhoseHeadWaitedTooLongEvenWhenNothingMoreIsSent() {
    ScriptedRemote remote = new ScriptedRemote();
    RecordingListener listener = new RecordingListener();
    long timeout = TimeUnit.SECONDS.toNanos(10);
    ConnWriter w = writer(remote, listener, backlog, new ManualScheduler(), 100, 0, timeout, 0);
    assertTrue(w.offer("waits"));
    long now = System.nanoTime();
    w.sweep(now);
    assertNull(listener.event.get());
    w.sweep(now + timeout + TimeUnit.SECONDS.toNanos(1));
    assertEquals("timeout", listener.event.get());
    assertEquals(0, backlog.frames());
    assertFalse(w.offer("after stop"));
  }

  @Test
  void theSweepFailsASendBlockedLongerThanTheWriteTimeout() throws InterruptedException {
    ScriptedRemote remote = new ScriptedRemote();
    remote.blocking = true;
    RecordingListener listener = new RecordingListener();
    long writeTimeout = TimeUnit.SECONDS.toNanos(10);
    ConnWriter w = writer(remote, listener, backlog, onePool(), 100, 0, 0, writeTimeout);
    assertTrue(w.offer("blocked"));
    assertTrue(w.offer("waits"));
    await(() -> remote.sent.size() == 1, "the first send blocked");
    long now = System.nanoTime();
    w.sweep(now);
    assertNull(listener.event.get());
    w.sweep(now + writeTimeout + 1);
    assertEquals("write timeout", listener.event.get());
    assertEquals(0, backlog.frames());
    assertFalse(w.offer("after stop"));
    remote.release(1); // the connection's close ends the send
    await(() -> !w.writingLongerThan(0, System.nanoTime()), "the send over");
    assertEquals(List.of("blocked"), remote.sent, "nothing sent after the failure");
  }

  @Test
  void theReadingThreadSendsItselfOnlyWhileNoOtherThreadSends() {
    ScriptedRemote remote = new ScriptedRemote();
    ManualScheduler scheduler = new ManualScheduler();
    ConnWriter w = writer(remote, new RecordingListener(), scheduler);
    assertTrue(w.offer("ack", true));
    assertEquals(List.of("ack"), remote.sent, "sent by the offering thread");
    assertEquals(0, scheduler.schedules);
    assertEquals(0, backlog.frames());

    assertTrue(w.offer("event"));
    assertTrue(w.offer("ack2", true));
    assertEquals(List.of("ack"), remote.sent, "queued behind the frame another thread sends");
    scheduler.runAll();
    assertEquals(List.of("ack", "event", "ack2"), remote.sent);
    assertEquals(1, scheduler.schedules);
    assertEquals(0, backlog.frames());
  }

  @Test
  void aReadingThreadLeavesWhatIsLeftAfterItsTurnToTheScheduler() throws InterruptedException {
    ScriptedRemote remote = new ScriptedRemote();
    remote.blocking = true;
    ManualScheduler scheduler = new ManualScheduler();
    ConnWriter w = writer(remote, new RecordingListener(), backlog, scheduler, 1_000, 0, 0, 0);
    Thread reading = new Thread(() -> w.offer("ack", true));
    reading.start();
    await(() -> remote.sent.size() == 1, "the reading thread's send blocked");
    List<String> expected = new ArrayList<>(List.of("ack"));
    for (int i = 0; i < WriterPool.BATCH; i++) {
      expected.add("m" + i);
      assertTrue(w.offer("m" + i)); // queued behind: the reading thread sends them
    }
    remote.blocking = false;
    remote.release(1);
    reading.join(WAIT.toMillis());
    assertFalse(reading.isAlive());
    assertEquals(expected.subList(0, WriterPool.BATCH), remote.sent, "one turn's worth");
    assertEquals(1, scheduler.schedules, "the rest left to the scheduler");
    scheduler.runAll();
    assertEquals(expected, remote.sent);
    assertEquals(0, backlog.frames());
  }

  @Test
  void theWriteTimeoutEndsASendBlockingTheReadingThread() throws InterruptedException {
    ScriptedRemote remote = new ScriptedRemote();
    remote.blocking = true;
    RecordingListener listener = new RecordingListener();
    long writeTimeout = TimeUnit.SECONDS.toNanos(10);
    ManualScheduler scheduler = new ManualScheduler();
    ConnWriter w = writer(remote, listener, backlog, scheduler, 100, 0, 0, writeTimeout);
    Thread reading = new Thread(() -> w.offer("blocked", true));
    reading.start();
    await(() -> remote.sent.size() == 1, "the reading thread's send blocked");
    assertTrue(w.offer("waits"));
    assertEquals(0, scheduler.schedules, "the blocked thread sends it next");
    w.sweep(System.nanoTime() + writeTimeout + 1);
    assertEquals("write timeout", listener.event.get());
    assertEquals(0, backlog.frames());
    remote.release(1); // the connection's close ends the send
    reading.join(WAIT.toMillis());
    assertFalse(reading.isAlive(), "the reading thread is free again");
    assertEquals(List.of("blocked"), remote.sent, "nothing sent after the failure");
  }

  @Test
  void aStalledWritersFramesLeaveTheBacklogUntilASendCompletes() throws InterruptedException {
    OutboundBacklog node = new OutboundBacklog(1_000, 1_000, Runnable::run, null); // holds no PUB
    ScriptedRemote remote = new ScriptedRemote();
    remote.blocking = true;
    ConnWriter w = writer(remote, new RecordingListener(), node, onePool(), 100, 0, 0, 0);
    assertTrue(w.offer("blocked"));
    await(() -> remote.sent.size() == 1, "the first send blocked");
    assertTrue(w.offer("q1"));
    assertTrue(w.offer("q2"));
    assertEquals(2, node.frames());
    w.sweep(System.nanoTime() + ConnWriter.STALL_NANOS + 1);
    assertTrue(w.stalled());
    assertEquals(0, node.frames(), "a client that does not read holds back no publisher");
    assertTrue(w.offer("q3"));
    assertEquals(0, node.frames(), "nor do frames queued for it meanwhile");
    remote.release(1); // it reads again
    await(() -> remote.sent.size() == 2, "q1 being sent");
    assertFalse(w.stalled());
    assertEquals(2, node.frames(), "q2 and q3 wait again in the count; q1 is being sent");
    remote.release(3);
    await(() -> remote.sent.size() == 4 && node.frames() == 0, "the rest sent");
    assertEquals(List.of("blocked", "q1", "q2", "q3"), remote.sent);
  }

  @Test
  void stoppingAStalledWriterTakesNothingMoreOffTheBacklog() throws InterruptedException {
    OutboundBacklog node = new OutboundBacklog(1_000, 1_000, Runnable::run, null); // holds no PUB
    ScriptedRemote remote = new ScriptedRemote();
    remote.blocking = true;
    ConnWriter w = writer(remote, new RecordingListener(), node, onePool(), 100, 0, 0, 0);
    w.offer("blocked");
    await(() -> remote.sent.size() == 1, "the first send blocked");
    w.offer("q1");
    node.added(5); // another connection's frames
    w.sweep(System.nanoTime() + ConnWriter.STALL_NANOS + 1);
    assertEquals(5, node.frames());
    w.stop();
    assertEquals(5, node.frames());
    remote.release(1);
    await(() -> !w.writingLongerThan(0, System.nanoTime()), "the send over");
    assertEquals(5, node.frames());
    assertEquals(List.of("blocked"), remote.sent);
  }

  @Test
  void pingOnAnIdleWriterGoesOutAtOnce() {
    ScriptedRemote remote = new ScriptedRemote();
    ManualScheduler scheduler = new ManualScheduler();
    ConnWriter w = writer(remote, new RecordingListener(), scheduler);
    w.ping();
    scheduler.runAll();
    assertEquals(List.of(PING), remote.sent);
    assertTrue(w.offer("a"));
    scheduler.runAll();
    assertEquals(List.of(PING, "a"), remote.sent);
  }

  @Test
  void pingWhileSendingGoesOutAfterTheFrameBeingSentAheadOfTheQueue() throws InterruptedException {
    ScriptedRemote remote = new ScriptedRemote();
    remote.blocking = true;
    ConnWriter w = writer(remote, new RecordingListener(), onePool());
    assertTrue(w.offer("a"));
    await(() -> remote.sent.size() == 1, "a being sent");
    assertTrue(w.offer("b"));
    w.ping();
    assertEquals(List.of("a"), remote.sent, "never in the middle of a frame");
    remote.release(2);
    await(() -> remote.sent.size() == 3, "the ping and b sent");
    assertEquals(List.of("a", PING, "b"), remote.sent);
  }

  @Test
  void pingAfterStopSendsNothing() {
    ScriptedRemote remote = new ScriptedRemote();
    ManualScheduler scheduler = new ManualScheduler();
    ConnWriter w = writer(remote, new RecordingListener(), scheduler);
    w.stop();
    w.ping();
    scheduler.runAll();
    assertTrue(remote.sent.isEmpty());
  }
}
