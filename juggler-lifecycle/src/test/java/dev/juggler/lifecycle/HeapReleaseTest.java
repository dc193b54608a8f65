package dev.juggler.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** Runs in a JVM of its own with G1 and {@code -XX:MinHeapFreeRatio=5} (this module's pom). */
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
  void setsTheManageableFlagsOnceKeepsThoseGivenOnTheCommandLineAndReleasesMoreWhenIdle()
      throws InterruptedException {
    long trimsBefore = HeapRelease.trims();
    assertEquals("off", HeapRelease.apply(0));
    assertEquals("0", value("G1PeriodicGCInterval"));

    assertEquals(
        "G1PeriodicGCInterval=500, MinHeapFreeRatio=5 (VM_CREATION, kept), MaxHeapFreeRatio=30,"
            + " MaxHeapFreeRatio=10 while idle, native heap trimmed after each periodic collection",
        HeapRelease.apply(500));
    assertEquals("500", value("G1PeriodicGCInterval"));
    assertEquals("5", value("MinHeapFreeRatio"));

    assertEquals("already applied", HeapRelease.apply(60_000));
    assertEquals("500", value("G1PeriodicGCInterval"));

    // this JVM does nothing else: G1 runs a periodic collection, after which the heap is sized as
    // idle and the C heap is trimmed
    awaitIncrease(HeapRelease::trims, trimsBefore, "trim");
    awaitIncrease(HeapRelease::idleSizings, 0, "idle sizing");
    assertEquals("10", value("MaxHeapFreeRatio"));

    // no more periodic collections; one that allocation causes sizes the heap as busy again
    VM.setVMOption("G1PeriodicGCInterval", "0");
    GarbageCollectorMXBean young = youngCollector();
    long collections = young.getCollectionCount();
    long busyBefore = HeapRelease.busySizings();
    while (young.getCollectionCount() == collections) {
      sink = new byte[1 << 20];
    }
    awaitIncrease(HeapRelease::busySizings, busyBefore, "busy sizing");
    assertEquals("30", value("MaxHeapFreeRatio"));
  }

  @Test
  void theTrimSaysByHowMuchTheResidentSetFell() {
    HeapRelease.NativeTrim trim = HeapRelease.NativeTrim.offered();
    assertNotNull(trim, "this JVM has no System.trim_native_heap");
    String said = trim.run();
    assertTrue(said.startsWith("Trim native heap: RSS+Swap: "), said);
  }

  /** Where the allocations that cause a young collection go. */
  private static volatile byte[] sink;

  /** Waits for {@code count} to pass {@code before}, up to {@link #PERIODIC_WAIT}. */
  private static void awaitIncrease(LongSupplier count, long before, String what)
      throws InterruptedException {
    long end = System.nanoTime() + PERIODIC_WAIT.toNanos();
    while (count.getAsLong() == before && System.nanoTime() - end < 0) {
      Thread.sleep(50);
    }
    assertTrue(count.getAsLong() > before, "no " + what + " within " + PERIODIC_WAIT);
  }

  private static GarbageCollectorMXBean youngCollector() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .filter(gc -> gc.getName().equals("G1 Young Generation"))
        .findFirst()
        .orElseThrow();
  }

  private static String value(String flag) {
    return VM.getVMOption(flag).getValue();
  }
}
