package dev.juggler.web.conn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The writer's ordering and bounds, against a scripted asynchronous remote endpoint. */
class ConnWriterTest {
  /** Counts the frames of every writer of a test; each test ends with what it left queued. */
  private final OutboundBacklog backlog =
      new OutboundBacklog(0, 0, Runnable::run, null); // counts frames only

  private static final String PING = "<ping>";

  /** A remote endpoint whose sends complete when the test says so, or at once. */
  static final class ScriptedRemote {
    final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    final List<SendHandler> pending = new ArrayList<>();
    volatile boolean completeInline;
    volatile boolean fail;

    RemoteEndpoint.Async proxy() {
      return (RemoteEndpoint.Async)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {RemoteEndpoint.Async.class},
              (p, m, args) -> {
                if (m.getName().equals("sendText") && args.length == 2) {
                  sent.add((String) args[0]);
                  SendHandler h = (SendHandler) args[1];
                  if (fail) {
                    h.onResult(new SendResult(new IOException("broken pipe")));
                  } else if (completeInline) {
                    h.onResult(new SendResult());
                  } else {
                    synchronized (pending) {
                      pending.add(h);
                    }
                  }
                  return null;
                }
                if (m.getName().equals("sendPing")) {
                  sent.add(PING); // sent synchronously, as the container does
                  return null;
                }
                throw new UnsupportedOperationException(m.getName());
              });
    }

    /** Fails the oldest pending send, as a broken connection would. */
    void failOne() {
      SendHandler h;
      synchronized (pending) {
        h = pending.remove(0);
      }
      h.onResult(new SendResult(new IOException("connection reset")));
    }

    /** Completes the oldest pending send; returns false if none. */
    boolean completeOne() {
      SendHandler h;
      synchronized (pending) {
        if (pending.isEmpty()) {
          return false;
        }
        h = pending.remove(0);
      }
      h.onResult(new SendResult());
      return true;
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
  }

  @Test
  void finishWithNothingQueuedRunsAtOnceAndRefusesLaterFrames() {
    ScriptedRemote remote = new ScriptedRemote();
    ConnWriter w = new ConnWriter(remote.proxy(), new RecordingListener(), backlog, 10, 0, 0);
    AtomicInteger ran = new AtomicInteger();
    w.finish(ran::incrementAndGet);
    assertEquals(1, ran.get());
    assertFalse(w.offer("too late"));
    w.finish(ran::incrementAndGet);
    assertEquals(1, ran.get(), "once");
    assertEquals(List.of(), remote.sent);
  }

  @Test
  void finishSendsWhatIsQueuedBeforeItRuns() {
    ScriptedRemote remote = new ScriptedRemote();
    ConnWriter w = new ConnWriter(remote.proxy(), new RecordingListener(), backlog, 10, 0, 0);
    assertTrue(w.offer("m0"));
    assertTrue(w.offer("m1"));
    assertTrue(w.offer("m2"));
    AtomicInteger ran = new AtomicInteger();
    w.finish(ran::incrementAndGet);
    assertFalse(w.offer("after finish"), "nothing new is queued while finishing");
    assertEquals(0, ran.get(), "m0 is still being sent");
    while (remote.completeOne()) {
      // each completion sends the next
    }
    assertEquals(List.of("m0", "m1", "m2"), remote.sent);
    assertEquals(1, ran.get());
    assertEquals(0, backlog.frames());
  }

  @Test
  void aFailedSendStillRunsWhatFinishWaitedFor() {
    ScriptedRemote remote = new ScriptedRemote();
    RecordingListener listener = new RecordingListener();
    ConnWriter w = new ConnWriter(remote.proxy(), listener, backlog, 10, 0, 0);
    assertTrue(w.offer("m0"));
    assertTrue(w.offer("m1"));
    AtomicInteger ran = new AtomicInteger();
    w.finish(ran::incrementAndGet);
    remote.failOne();
    assertEquals("failed: connection reset", listener.event.get());
    assertEquals(1, ran.get());
    assertEquals(0, backlog.frames(), "m1 was dropped with the writer");
  }

  @Test
  void stopWhileFinishingDropsTheQueueAndWhatFinishWaitedFor() {
    ScriptedRemote remote = new ScriptedRemote();
    ConnWriter w = new ConnWriter(remote.proxy(), new RecordingListener(), backlog, 10, 0, 0);
    assertTrue(w.offer("m0"));
    assertTrue(w.offer("m1"));
    AtomicInteger ran = new AtomicInteger();
    w.finish(ran::incrementAndGet);
    w.stop(); // the connection is closed another way meanwhile
    remote.completeOne();
    assertEquals(List.of("m0"), remote.sent);
    assertEquals(0, ran.get());
    assertEquals(0, backlog.frames());
  }

  @Test
  void sendsOneAtATimeInOrder() {
    ScriptedRemote remote = new ScriptedRemote();
    ConnWriter w = new ConnWriter(remote.proxy(), new RecordingListener(), backlog, 10, 0, 0);
    for (int i = 0; i < 5; i++) {
      assertTrue(w.offer("m" + i));
    }
    assertEquals(List.of("m0"), remote.sent, "second send must wait for the first");
    while (remote.completeOne()) {
      // each completion starts the next send
    }
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), remote.sent);
    assertEquals(0, w.queued());
    assertEquals(0, backlog.frames());
  }

  @Test
  void inlineCompletionsDoNotRecurse() {
    ScriptedRemote remote = new ScriptedRemote();
    remote.completeInline = true;
    ConnWriter w =
        new ConnWriter(remote.proxy(), new RecordingListener(), backlog, 1_000_000, 0, 0);
    for (int i = 0; i < 200_000; i++) {
      assertTrue(w.offer("x"));
    }
    assertEquals(200_000, remote.sent.size());
    assertEquals(0, backlog.frames());
  }

  @Test
  void fullQueueStopsTheWriterInsteadOfGrowing() {
    ScriptedRemote remote = new ScriptedRemote();
    RecordingListener listener = new RecordingListener();
    ConnWriter w = new ConnWriter(remote.proxy(), listener, backlog, 3, 0, 0);
    assertTrue(w.offer("in flight"));
    assertTrue(w.offer("q1"));
    assertTrue(w.offer("q2"));
    assertTrue(w.offer("q3"));
    assertEquals(3, backlog.frames(), "three wait, one is being sent");
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
        new ConnWriter(
            remote.proxy(), listener, backlog, 100, 0, TimeUnit.MILLISECONDS.toNanos(20));
    assertTrue(w.offer("in flight, never completes"));
    assertTrue(w.offer("waits"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
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
    ConnWriter w = new ConnWriter(remote.proxy(), listener, backlog, 10, 0, 0);
    w.offer("a");
    assertEquals("failed: broken pipe", listener.event.get());
    assertFalse(w.offer("b"));
  }

  @Test
  void concurrentProducersKeepEachProducersOrder() throws Exception {
    ScriptedRemote remote = new ScriptedRemote();
    ConnWriter w =
        new ConnWriter(remote.proxy(), new RecordingListener(), backlog, 1_000_000, 0, 0);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch done = new CountDownLatch(4);
    for (int p = 0; p < 4; p++) {
      int producer = p;
      pool.execute(
          () -> {
            for (int i = 0; i < 5_000; i++) {
              w.offer(producer + ":" + i);
            }
            done.countDown();
          });
    }
    ExecutorService completer = Executors.newSingleThreadExecutor();
    completer.execute(
        () -> {
          while (remote.sent.size() < 20_000) {
            if (!remote.completeOne()) {
              Thread.onSpinWait();
            }
          }
        });
    assertTrue(done.await(10, TimeUnit.SECONDS));
    completer.shutdown();
    assertTrue(completer.awaitTermination(10, TimeUnit.SECONDS));
    pool.shutdown();
    assertEquals(20_000, remote.sent.size());
    int[] next = new int[4];
    for (String s : remote.sent) {
      String[] parts = s.split(":");
      int producer = Integer.parseInt(parts[0]);
      assertEquals(next[producer]++, Integer.parseInt(parts[1]), "order of producer " + producer);
    }
  }

  @Test
  void tooManyQueuedBytesStopTheWriter() {
    ScriptedRemote remote = new ScriptedRemote();
    RecordingListener listener = new RecordingListener();
    ConnWriter w = new ConnWriter(remote.proxy(), listener, backlog, 1_000, 10, 0);
    assertTrue(w.offer("in flight, any size"));
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
    ConnWriter w = new ConnWriter(remote.proxy(), listener, backlog, 100, 0, timeout);
    assertTrue(w.offer("in flight, never completes"));
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
  void aStalledWritersFramesLeaveTheBacklogUntilASendCompletes() {
    OutboundBacklog node = new OutboundBacklog(1_000, 1_000, Runnable::run, null); // holds no PUB
    ScriptedRemote remote = new ScriptedRemote();
    ConnWriter w = new ConnWriter(remote.proxy(), new RecordingListener(), node, 100, 0, 0);
    assertTrue(w.offer("in flight"));
    assertTrue(w.offer("q1"));
    assertTrue(w.offer("q2"));
    assertEquals(2, node.frames());
    w.sweep(System.nanoTime() + ConnWriter.STALL_NANOS + 1);
    assertTrue(w.stalled());
    assertEquals(0, node.frames(), "a client that does not read holds back no publisher");
    assertTrue(w.offer("q3"));
    assertEquals(0, node.frames(), "nor do frames queued for it meanwhile");
    assertTrue(remote.completeOne()); // it reads again
    assertFalse(w.stalled());
    assertEquals(2, node.frames(), "q2 and q3 wait again in the count; q1 is in flight");
    while (remote.completeOne()) {
      // sends the rest
    }
    assertEquals(0, node.frames());
    assertEquals(List.of("in flight", "q1", "q2", "q3"), remote.sent);
  }

  @Test
  void stoppingAStalledWriterTakesNothingMoreOffTheBacklog() {
    OutboundBacklog node = new OutboundBacklog(1_000, 1_000, Runnable::run, null); // holds no PUB
    ScriptedRemote remote = new ScriptedRemote();
    ConnWriter w = new ConnWriter(remote.proxy(), new RecordingListener(), node, 100, 0, 0);
    w.offer("in flight");
    w.offer("q1");
    node.added(5); // another connection's frames
    w.sweep(System.nanoTime() + ConnWriter.STALL_NANOS + 1);
    assertEquals(5, node.frames());
    w.stop();
    assertEquals(5, node.frames());
  }

  @Test
  void pingOnAnIdleWriterGoesOutAtOnce() {
    ScriptedRemote remote = new ScriptedRemote();
    ConnWriter w = new ConnWriter(remote.proxy(), new RecordingListener(), backlog, 10, 0, 0);
    w.ping();
    assertEquals(List.of(PING), remote.sent);
    assertTrue(w.offer("a"));
    assertEquals(List.of(PING, "a"), remote.sent);
  }

  @Test
  void pingWhileSendingGoesOutAfterTheFrameInFlightAheadOfTheQueue() {
    ScriptedRemote remote = new ScriptedRemote();
    ConnWriter w = new ConnWriter(remote.proxy(), new RecordingListener(), backlog, 10, 0, 0);
    assertTrue(w.offer("a"));
    assertTrue(w.offer("b"));
    w.ping();
    assertEquals(List.of("a"), remote.sent, "never in the middle of a frame");
    assertTrue(remote.completeOne());
    assertEquals(List.of("a", PING, "b"), remote.sent);
    assertTrue(remote.completeOne());
    assertFalse(remote.completeOne());
  }

  @Test
  void pingAfterStopSendsNothing() {
    ScriptedRemote remote = new ScriptedRemote();
    ConnWriter w = new ConnWriter(remote.proxy(), new RecordingListener(), backlog, 10, 0, 0);
    w.stop();
    w.ping();
    assertTrue(remote.sent.isEmpty());
  }
}
