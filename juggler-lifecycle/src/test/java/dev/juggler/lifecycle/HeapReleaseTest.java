package dev.juggler.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs in a JVM of its own with G1 and {@code -XX:MaxHeapFreeRatio=50} (this module's pom). */
class HeapReleaseTest {
  private static final HotSpotDiagnosticMXBean VM =
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

  /**
   * How long a periodic collection may take to come after its interval on a loaded machine;
   * settable with {@code -Djuggler.test.periodic-gc-wait-ms}.
   */
  private static final Duration PERIODIC_WAIT =
      Duration.ofMillis(Long.getLong("juggler.test.periodic-gc-wait-ms", 60_000));

  @Test
  void setsTheManageableFlagsOnceKeepsThoseGivenOnTheCommandLineAndTrimsWhenIdle()
      throws InterruptedException {
    long trimsBefore = HeapRelease.trims();
    assertEquals("off", HeapRelease.apply(0));
    assertEquals("0", value("G1PeriodicGCInterval"));

    assertEquals(
        "G1PeriodicGCInterval=500, MinHeapFreeRatio=10, MaxHeapFreeRatio=50 (VM_CREATION, kept),"
            + " native heap trimmed after each periodic collection",
        HeapRelease.apply(500));
    assertEquals("500", value("G1PeriodicGCInterval"));
    assertEquals("10", value("MinHeapFreeRatio"));
    assertEquals("50", value("MaxHeapFreeRatio"));

    assertEquals("already applied", HeapRelease.apply(60_000));
    assertEquals("500", value("G1PeriodicGCInterval"));

    // this JVM does nothing else: G1 runs a periodic collection, and the C heap is trimmed after it
    long end = System.nanoTime() + PERIODIC_WAIT.toNanos();
    while (HeapRelease.trims() == trimsBefore && System.nanoTime() - end < 0) {
      Thread.sleep(50);
    }
    assertTrue(HeapRelease.trims() > trimsBefore, "no trim within " + PERIODIC_WAIT);
  }

  @Test
  void theTrimSaysByHowMuchTheResidentSetFell() {
    HeapRelease.NativeTrim trim = HeapRelease.NativeTrim.offered();
    assertNotNull(trim, "this JVM has no System.trim_native_heap");
    String said = trim.run();
    assertTrue(said.startsWith("Trim native heap: RSS+Swap: "), said);
  }

  private static String value(String flag) {
    return VM.getVMOption(flag).getValue();
  }
}
