package dev.sepia.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap left in use right after a full (major) garbage collection since {@link #reset}:
 * what the program really held, garbage excluded. Sampled "heap used" counts garbage not yet
 * collected, so under a small -Xmx it sits near the limit whatever the program holds; the heap
 * after a young collection still holds old garbage. Only a full collection leaves nothing but live
 * objects, so this one also forces a full collection every {@link #FORCE_EVERY} while it runs (a
 * short pause on a small heap). Told by the JVM's GC notifications, so no collection is missed.
 */
final class HeapAfterGc implements AutoCloseable {
  private static final long MIB = 1024 * 1024;
  static final Duration FORCE_EVERY = Duration.ofSeconds(10);

  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onCollection;
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());

  private final ScheduledExecutorService forcer =
      Executors.newSingleThreadScheduledExecutor(TentacleFleet.named("bench-full-gc"));

  HeapAfterGc() {
    long every = FORCE_EVERY.toMillis();
    forcer.scheduleAtFixedRate(System::gc, every, every, TimeUnit.MILLISECONDS);
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  private void onCollection(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    if (!info.getGcAction().contains("major")) {
      return;
    }
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool :
        info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    peak.accumulateAndGet(used, Math::max);
    collections.incrementAndGet();
  }

  void reset() {
    peak.set(0);
    collections.set(0);
  }

  long peakMiB() {
    return peak.get() / MIB;
  }

  long collections() {
    return collections.get();
  }

  @Override
  public void close() {
    forcer.shutdownNow();
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // Already gone.
      }
    }
  }
}
