package dev.juggler.callee.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.juggler.callee.log.LogLimiter;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class OutageLogTest {

  private static final class Capture extends Handler {
    final List<LogRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void logsOncePerOutageWithRareReminders() {
    Capture capture = new Capture();
    Logger log = Logger.getAnonymousLogger();
    log.setUseParentHandlers(false);
    log.addHandler(capture);
    AtomicLong now = new AtomicLong();
    OutageLog outage = new OutageLog(log, new LogLimiter(Duration.ofMinutes(1), now::get));
    Exception down = new IOException("connection refused");

    outage.success();
    assertTrue(capture.records.isEmpty());
    for (int i = 0; i < 100; i++) {
      outage.failure(down);
    }
    assertEquals(1, capture.records.size());
    assertEquals(Level.WARNING, capture.records.get(0).getLevel());
    assertNull(capture.records.get(0).getThrown(), "an expected outage logs no stack trace");
    assertTrue(capture.records.get(0).getMessage().contains("connection refused"), "the cause");
    assertTrue(outage.isDown());

    now.addAndGet(Duration.ofMinutes(1).toNanos());
    outage.failure(down);
    outage.failure(down);
    assertEquals(2, capture.records.size());
    assertTrue(capture.records.get(1).getMessage().contains("101 failures"));

    outage.success();
    outage.success();
    assertEquals(3, capture.records.size());
    assertEquals(Level.INFO, capture.records.get(2).getLevel());
    assertTrue(capture.records.get(2).getMessage().contains(" ms down"), "how long it lasted");
    assertFalse(outage.isDown());
  }

  @Test
  void saysSinceWhenTheOutageLasts() {
    Logger log = Logger.getAnonymousLogger();
    log.setUseParentHandlers(false);
    OutageLog outage = new OutageLog(log);
    assertTrue(outage.downSince().isEmpty());
    Instant before = Instant.now();
    outage.failure(new IOException("refused"));
    Instant since = outage.downSince().orElseThrow();
    assertFalse(since.isBefore(before));
    outage.failure(new IOException("refused again"));
    assertEquals(since, outage.downSince().orElseThrow(), "the outage's first failure");
    outage.success();
    assertTrue(outage.downSince().isEmpty());
    outage.failure(new IOException("refused later"));
    assertFalse(outage.downSince().orElseThrow().isBefore(since), "a new outage");
  }
}
