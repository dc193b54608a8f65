package dev.juggler.lifecycle;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.NotificationEmitter;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Lets an idle process give its unused heap back to the operating system.
 *
 * <p>G1, the JVM's default collector, takes an initial heap of 1/64 of the machine's memory at
 * start and keeps what it has committed while nothing happens: an idle node holds hundreds of MB it
 * does not use. HotSpot lets three of its flags be changed while it runs ("manageable"); this sets
 * them, once per process:
 *
 * <ul>
 *   <li>{@code G1PeriodicGCInterval}: after this long without a collection, G1 runs a concurrent
 *       one, at whose end it shrinks the heap;
 *   <li>{@code MinHeapFreeRatio} 10 and {@code MaxHeapFreeRatio} 30: it shrinks the heap to what is
 *       live plus at most 30%, instead of 70%.
 * </ul>
 *
 * <p>While the process is idle it goes further: a periodic collection sets {@code MaxHeapFreeRatio}
 * to 10, so that the concurrent collection it starts shrinks the heap to what is live plus 10%, and
 * the next collection that allocation causes sets it back to 30, so that a busy heap is never sized
 * that tightly. After each periodic collection it also has the C library give back the free memory
 * of its heap ({@code System.trim_native_heap}, as {@code jcmd} does it): what the JIT compilers
 * and the server's start used and freed stays resident otherwise (20 to 43 MB of an idle node's).
 *
 * <p>Under load collections come often, so the periodic one never runs, the heap grows as it always
 * did and nothing is trimmed. A flag given on the command line is left as it is (then {@code
 * MaxHeapFreeRatio} is not changed while idle either); a JVM without these flags (not HotSpot, or
 * another collector than G1) is left alone, and one without the trim command (an older one, or not
 * on Linux) only has its Java heap released.
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

  /** The cause a collection that G1 ran because of {@code G1PeriodicGCInterval} is given. */
  static final String PERIODIC_CAUSE = "G1 Periodic Collection";

  private static final String DIAGNOSTIC_COMMANDS = "com.sun.management:type=DiagnosticCommand";

  /** {@code System.trim_native_heap}, as the diagnostic commands' MBean names it. */
  private static final String TRIM = "systemTrimNativeHeap";

  /** The free share of the heap, in percent, that a shrinking G1 keeps at most: under load. */
  static final int BUSY_MAX_FREE = 30;

  /**
   * The same while idle: from a periodic collection to the next collection that allocation causes.
   */
  static final int IDLE_MAX_FREE = 10;

  private static final String MAX_FREE = "MaxHeapFreeRatio";

  private static final AtomicLong trims = new AtomicLong();

  private static final AtomicLong idleSizings = new AtomicLong();

  private static final AtomicLong busySizings = new AtomicLong();

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
    Setting interval = setUnlessGiven(vm, "G1PeriodicGCInterval", Long.toString(intervalMillis));
    // MinHeapFreeRatio first: MaxHeapFreeRatio may not go below it
    Setting min = setUnlessGiven(vm, "MinHeapFreeRatio", "10");
    Setting max = setUnlessGiven(vm, MAX_FREE, Integer.toString(BUSY_MAX_FREE));
    IdleSizing sizing = null;
    if (max.set()) {
      // not below MinHeapFreeRatio, which HotSpot would refuse
      int minFree = Integer.parseInt(vm.getVMOption("MinHeapFreeRatio").getValue());
      sizing = new IdleSizing(vm, Math.max(IDLE_MAX_FREE, minFree));
    }
    NativeTrim trim = NativeTrim.offered();
    listen(sizing, trim);
    return String.join(
        ", ",
        interval.said(),
        min.said(),
        max.said(),
        sizing == null ? MAX_FREE + " not changed while idle" : sizing.toString(),
        trim == null
            ? "native heap trim not offered by this JVM"
            : "native heap trimmed after each periodic collection");
  }

  /**
   * Follows the collections: after a periodic one (G1 runs one only when the process had no
   * collection for the whole interval, so never under load) the heap is sized as idle and the C
   * heap trimmed; after one that allocation caused, the heap is sized as busy again.
   */
  private static void listen(IdleSizing sizing, NativeTrim trim) {
    if (sizing == null && trim == null) {
      return;
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            (notification, handback) -> {
              if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                  notification.getType())) {
                return;
              }
              GarbageCollectionNotificationInfo info =
                  GarbageCollectionNotificationInfo.from(
                      (CompositeData) notification.getUserData());
              if (PERIODIC_CAUSE.equals(info.getGcCause())) {
                if (sizing != null) {
                  sizing.idle();
                }
                if (trim != null) {
                  trim.run();
                }
              } else if (sizing != null && collection(info)) {
                sizing.busy();
              }
            },
            null,
            null);
      }
    }
  }

  /**
   * Whether it reports a collection (young, mixed or full), not one of the pauses of a concurrent
   * cycle that newer JVMs report too (which come after the cycle's periodic start).
   */
  private static boolean collection(GarbageCollectionNotificationInfo info) {
    String action = info.getGcAction();
    return "end of minor GC".equals(action) || "end of major GC".equals(action);
  }

  /** {@code MaxHeapFreeRatio} while idle and while busy; changed only when the state changes. */
  private static final class IdleSizing {
    private final HotSpotDiagnosticMXBean vm;
    private final String idleValue;
    private boolean idle;

    IdleSizing(HotSpotDiagnosticMXBean vm, int idleValue) {
      this.vm = vm;
      this.idleValue = Integer.toString(idleValue);
    }

    synchronized void idle() {
      if (!idle && set(idleValue)) {
        idle = true;
        idleSizings.incrementAndGet();
      }
    }

    synchronized void busy() {
      if (idle && set(Integer.toString(BUSY_MAX_FREE))) {
        idle = false;
        busySizings.incrementAndGet();
      }
    }

    @Override
    public String toString() {
      return MAX_FREE + "=" + idleValue + " while idle";
    }

    private boolean set(String value) {
      try {
        vm.setVMOption(MAX_FREE, value);
        return true;
      } catch (IllegalArgumentException | SecurityException e) {
        LOG.log(Level.FINE, "idle heap release: " + MAX_FREE + "=" + value + " not set", e);
        return false;
      }
    }
  }

  /** {@code System.trim_native_heap} through the diagnostic commands' MBean. */
  record NativeTrim(MBeanServer server, ObjectName commands, boolean takesArguments) {

    /** The command, or {@code null} when this JVM has none. */
    static NativeTrim offered() {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      try {
        ObjectName commands = new ObjectName(DIAGNOSTIC_COMMANDS);
        if (!server.isRegistered(commands)) {
          return null;
        }
        for (MBeanOperationInfo operation : server.getMBeanInfo(commands).getOperations()) {
          if (TRIM.equals(operation.getName())) {
            // it takes no arguments; the MBean's signature may still be (String[])
            return new NativeTrim(server, commands, operation.getSignature().length > 0);
          }
        }
      } catch (JMException | RuntimeException e) {
        LOG.log(Level.FINE, "idle heap release: no diagnostic commands", e);
      }
      return null;
    }

    /**
     * Has the C library give back its heap's free memory, now. Returns what the JVM answered (by
     * how much the resident set fell); a failure is logged and returned, never thrown.
     */
    String run() {
      try {
        Object answer =
            takesArguments
                ? server.invoke(
                    commands,
                    TRIM,
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()})
                : server.invoke(commands, TRIM, new Object[0], new String[0]);
        trims.incrementAndGet();
        String said = String.valueOf(answer).strip();
        LOG.fine(() -> "idle heap release: " + said);
        return said;
      } catch (JMException | RuntimeException e) {
        LOG.log(Level.FINE, "idle heap release: native heap trim failed", e);
        return "failed: " + e;
      }
    }
  }

  /** How many times the C heap was trimmed in this process; for tests. */
  static long trims() {
    return trims.get();
  }

  /** How many times the heap was sized as idle in this process; for tests. */
  static long idleSizings() {
    return idleSizings.get();
  }

  /** How many times it was sized as busy again; for tests. */
  static long busySizings() {
    return busySizings.get();
  }

  /** What {@link #setUnlessGiven} did: said as in the start's log line, and whether it set it. */
  private record Setting(String said, boolean set) {}

  private static Setting setUnlessGiven(HotSpotDiagnosticMXBean vm, String flag, String value) {
    VMOption option;
    try {
      option = vm.getVMOption(flag);
    } catch (IllegalArgumentException e) {
      return new Setting(flag + " does not exist here", false);
    } catch (SecurityException e) {
      // Java 2 security, where it is on
      return new Setting(flag + " not readable: " + e.getMessage(), false);
    }
    if (option.getOrigin() != VMOption.Origin.DEFAULT
        && option.getOrigin() != VMOption.Origin.ERGONOMIC) {
      return new Setting(
          flag + "=" + option.getValue() + " (" + option.getOrigin() + ", kept)", false);
    }
    try {
      vm.setVMOption(flag, value);
      return new Setting(flag + "=" + value, true);
    } catch (IllegalArgumentException | SecurityException e) {
      // not manageable here, refused (a free ratio that would cross the other one), or not
      // permitted (Java 2 security)
      return new Setting(flag + " not set: " + e.getMessage(), false);
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
