package dev.juggler.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Runs in a JVM of its own with G1 and {@code -XX:MaxHeapFreeRatio=50} (this module's pom). */
class HeapReleaseTest {
  private static final HotSpotDiagnosticMXBean VM =
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

  @Test
  void setsTheManageableFlagsOnceAndKeepsThoseGivenOnTheCommandLine() {
    assertEquals("off", HeapRelease.apply(0));
    assertEquals("0", value("G1PeriodicGCInterval"));

    assertEquals(
        "G1PeriodicGCInterval=15000, MinHeapFreeRatio=10, MaxHeapFreeRatio=50 (VM_CREATION, kept)",
        HeapRelease.apply(15_000));
    assertEquals("15000", value("G1PeriodicGCInterval"));
    assertEquals("10", value("MinHeapFreeRatio"));
    assertEquals("50", value("MaxHeapFreeRatio"));

    assertEquals("already applied", HeapRelease.apply(60_000));
    assertEquals("15000", value("G1PeriodicGCInterval"));
  }

  private static String value(String flag) {
    return VM.getVMOption(flag).getValue();
  }
}
