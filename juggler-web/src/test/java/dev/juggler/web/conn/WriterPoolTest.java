package dev.juggler.web.conn;

import static dev.juggler.web.conn.ConnWriterTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.web.conn.ConnWriterTest.RecordingListener;
import dev.juggler.web.conn.ConnWriterTest.ScriptedRemote;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client that stops reading holds one writer thread, and the others still get their frames. */
class WriterPoolTest {
  private final OutboundBacklog backlog = new OutboundBacklog(0, 0, Runnable::run, null);
  private final WriterPool pool = new WriterPool(Executors.defaultThreadFactory(), 1);

  @AfterEach
  void stop() {
    pool.stop();
  }

  private ConnWriter writer(ScriptedRemote remote) {
    return new ConnWriter(remote.proxy(), new RecordingListener(), backlog, pool, 100, 0, 0, 0);
  }

  @Test
  void aThreadBlockedByAClientIsReplacedAndLeavesWhenItsSendCompletes() throws Exception {
    ScriptedRemote stuck = new ScriptedRemote();
    stuck.blocking = true;
    ScriptedRemote reading = new ScriptedRemote();
    ConnWriter stuckWriter = writer(stuck);
    ConnWriter readingWriter = writer(reading);

    assertTrue(stuckWriter.offer("blocked"));
    await(() -> stuck.sent.size() == 1, "the pool's only thread blocked");
    assertTrue(readingWriter.offer("r0"));
    pool.sweep(System.nanoTime()); // not blocked long enough yet
    assertEquals(1, pool.threads());
    assertEquals(List.of(), reading.sent, "the only thread is blocked");

    pool.sweep(System.nanoTime() + ConnWriter.STALL_NANOS + 1);
    assertEquals(1, pool.stuck());
    await(() -> reading.sent.equals(List.of("r0")), "r0 sent by the thread that took its place");
    assertEquals(2, pool.threads());
    assertTrue(readingWriter.offer("r1"));
    await(() -> reading.sent.size() == 2, "r1 sent");
    pool.sweep(System.nanoTime() + ConnWriter.STALL_NANOS + 1);
    assertEquals(2, pool.threads(), "one replacement for one blocked thread");

    stuck.blocking = false; // the client reads again
    stuck.release(1);
    await(() -> pool.threads() == 1 && pool.stuck() == 0, "the unblocked thread gone");
    assertTrue(stuckWriter.offer("after"));
    assertTrue(readingWriter.offer("r2"));
    await(() -> stuck.sent.size() == 2 && reading.sent.size() == 3, "both sent by one thread");
  }
}
