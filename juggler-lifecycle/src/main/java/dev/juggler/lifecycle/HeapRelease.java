package dev.juggler.lifecycle;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Lets an idle process give its unused heap back to the operating system.
 *
 * <p>G1, the JVM's default collector, takes an initial heap of 1/64 of the machine's memory at
 * start and keeps what it has committed while nothing happens: an idle node holds hundreds of MB it
 * does not use. HotSpot lets three of its flags be changed while it runs ("manageable"), and that
 * is all this does, once per process:
 *
 * <ul>
 *   <li>{@code G1PeriodicGCInterval}: after this long without a collection, G1 runs a concurrent
 *       one, at whose end it shrinks the heap;
 *   <li>{@code MinHeapFreeRatio} 10 and {@code MaxHeapFreeRatio} 30: it shrinks the heap to what is
 *       live plus at most 30%, instead of 70%.
 * </ul>
 *
 * <p>Under load collections come often, so the periodic one never runs and the heap grows as it
 * always did. A flag given on the command line is left as it is; a JVM without these flags (not
 * HotSpot, or another collector than G1) is left alone.
 */
public final class HeapRelease {
  /**
   * The setting, in milliseconds (the periodic collection's interval; 0 or unset: off): a variable
   * of the Liberty servers that the build makes (their server.xml), the environment or {@code -D},
   * read through MicroProfile Config ({@link #applyConfigured()}). An application server of the
   * user's own is left as it is.
   */
  public static final String SETTING = "JUGGLER_IDLE_HEAP_RELEASE";

  private static final Logger LOG = Logger.getLogger(HeapRelease.class.getName());

  private static boolean applied;

  private HeapRelease() {}

  /** {@link #apply(long)} with the interval that {@link #SETTING} gives. */
  public static String applyConfigured() {
    return apply(ConfigProvider.getConfig().getOptionalValue(SETTING, Long.class).orElse(0L));
  }

  /**
   * Sets the flags (see the class comment) unless this process already did; {@code intervalMillis}
   * 0 or less does nothing.
   *
   * @return what was set, flag by flag, or why nothing was
   */
  public static synchronized String apply(long intervalMillis) {
    if (intervalMillis <= 0) {
      return "off";
    }
    if (applied) {
      return "already applied";
    }
    applied = true;
    String outcome = set(intervalMillis);
    LOG.info(() -> "idle heap release: " + outcome);
    return outcome;
  }

  private static String set(long intervalMillis) {
    HotSpotDiagnosticMXBean vm;
    try {
      vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    } catch (RuntimeException | LinkageError e) {
      return "not a HotSpot JVM (" + e + "), left as it is";
    }
    if (vm == null) {
      return "not a HotSpot JVM, left as it is";
    }
    if (!usesG1()) {
      return "the collector is not G1, left as it is";
    }
    return String.join(
        ", ",
        setUnlessGiven(vm, "G1PeriodicGCInterval", Long.toString(intervalMillis)),
        // MinHeapFreeRatio first: MaxHeapFreeRatio may not go below it
        setUnlessGiven(vm, "MinHeapFreeRatio", "10"),
        setUnlessGiven(vm, "MaxHeapFreeRatio", "30"));
  }

  private static String setUnlessGiven(HotSpotDiagnosticMXBean vm, String flag, String value) {
    VMOption option;
    try {
      option = vm.getVMOption(flag);
    } catch (IllegalArgumentException e) {
      return flag + " does not exist here";
    } catch (SecurityException e) {
      return flag + " not readable: " + e.getMessage(); // Java 2 security, where it is on
    }
    if (option.getOrigin() != VMOption.Origin.DEFAULT
        && option.getOrigin() != VMOption.Origin.ERGONOMIC) {
      return flag + "=" + option.getValue() + " (" + option.getOrigin() + ", kept)";
    }
    try {
      vm.setVMOption(flag, value);
      return flag + "=" + value;
    } catch (IllegalArgumentException | SecurityException e) {
      // not manageable here, refused (a free ratio that would cross the other one), or not
      // permitted (Java 2 security)
      return flag + " not set: " + e.getMessage();
    }
  }

  private static boolean usesG1() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getName().startsWith("G1 ")) {
        return true;
      }
    }
    return false;
  }
}
