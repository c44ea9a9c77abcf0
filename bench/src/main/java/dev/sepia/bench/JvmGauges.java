package dev.sepia.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * What this JVM uses, from its MXBeans: CPU time (and, beside it, the whole machine's, which shows
 * whether something else competed for the CPUs), platform threads (the JVM's own peak count, which
 * virtual threads do not enter), heap used, and open file descriptors (Unix only). Heap and
 * descriptors have no peak of their own, so a daemon samples them every {@link #PERIOD_MILLIS} ms;
 * a peak is therefore "the highest sample", not an exact maximum. At the highest sampled thread
 * count it also takes a census of the threads by name, which says who owns them.
 */
final class JvmGauges implements AutoCloseable {
  static final long PERIOD_MILLIS = 50;
  private static final long MIB = 1024 * 1024;
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private final AtomicLong peakHeap = new AtomicLong();
  private final AtomicLong peakFds = new AtomicLong();
  private volatile int censusAt;
  private volatile Map<String, Integer> census = Map.of();
  private volatile long cpuAtReset;
  private volatile long wallAtReset;
  private volatile long[] machineAtReset;
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(TentacleFleet.named("bench-gauges"));

  /** What was seen between {@link #reset()} and {@link #read()}. */
  record Reading(
      int peakThreads,
      int liveThreads,
      long peakHeapMiB,
      long peakOpenFiles,
      Map<String, Integer> threadsAtPeak,
      long cpuNanos,
      long wallNanos,
      double machineCpuPercent) {

    /** Share of all CPUs this process used, 0 to 100. */
    double cpuPercent() {
      int cpus = Runtime.getRuntime().availableProcessors();
      return wallNanos <= 0 ? 0 : 100.0 * cpuNanos / ((double) wallNanos * cpus);
    }
  }

  JvmGauges() {
    sampler.scheduleAtFixedRate(this::sample, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Starts a new phase: peaks from now on. */
  synchronized void reset() {
    threads.resetPeakThreadCount();
    peakHeap.set(0);
    peakFds.set(0);
    censusAt = 0;
    census = Map.of();
    cpuAtReset = processCpuNanos();
    wallAtReset = System.nanoTime();
    machineAtReset = machineTicks();
    sample();
  }

  Reading read() {
    sample();
    return new Reading(
        threads.getPeakThreadCount(),
        threads.getThreadCount(),
        peakHeap.get() / MIB,
        peakFds.get(),
        census,
        processCpuNanos() - cpuAtReset,
        System.nanoTime() - wallAtReset,
        machineBusyPercent(machineAtReset, machineTicks()));
  }

  /**
   * The whole machine's CPU ticks from /proc/stat (Linux): {busy, total}, or null elsewhere. Busy
   * is user, nice, system, irq and softirq; idle, iowait and steal are not.
   */
  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        long v = Long.parseLong(f[i]);
        total += v;
        if (i != 4 && i != 5 && i != 8) {
          busy += v;
        }
      }
      return new long[] {busy, total};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static double machineBusyPercent(long[] from, long[] to) {
    if (from == null || to == null || to[1] == from[1]) {
      return -1;
    }
    return 100.0 * (to[0] - from[0]) / (to[1] - from[1]);
  }

  private long processCpuNanos() {
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  /** Heap still in use after a full collection: what the running fleet itself holds. */
  long retainedHeapMiB() {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed() / MIB;
  }

  long openFiles() {
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
  }

  long maxOpenFiles() {
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
  }

  private synchronized void sample() {
    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    peakFds.accumulateAndGet(openFiles(), Math::max);
    int live = threads.getThreadCount();
    if (live > censusAt) {
      censusAt = live;
      census = census();
    }
  }

  /**
   * Live platform threads by name, digits folded ("sepia-health-#"), largest groups first: who owns
   * the threads at the sampled peak.
   */
  private Map<String, Integer> census() {
    Map<String, Integer> groups = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (info != null) {
        groups.merge(DIGITS.matcher(info.getThreadName()).replaceAll("#"), 1, Integer::sum);
      }
    }
    Map<String, Integer> sorted = new LinkedHashMap<>();
    groups.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
