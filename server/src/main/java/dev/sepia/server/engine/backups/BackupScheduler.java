package dev.sepia.server.engine.backups;

import dev.sepia.server.engine.tasks.TaskStore;
import dev.sepia.server.store.DatabaseMetadata;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues a "Backup" task when the schedule says one is due. Every node ticks; a node claims a slot
 * by moving the last-due mark with a conditional update, so when several nodes share the database
 * each slot is backed up once. Missed slots (no server was running) collapse into one backup.
 */
public final class BackupScheduler implements AutoCloseable {
  static final long TICK_SECONDS = 30;
  private static final Logger log = LoggerFactory.getLogger(BackupScheduler.class);

  private final Jdbi jdbi;
  private final Runnable wakeEngine;
  private final ZoneId zone;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private String lastWarning;

  public BackupScheduler(Jdbi jdbi, Runnable wakeEngine, ZoneId zone, Clock clock) {
    this.jdbi = jdbi;
    this.wakeEngine = wakeEngine;
    this.zone = zone;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sepia-backup-schedule");
              t.setDaemon(true);
              return t;
            });
  }

  public void start() {
    timer.scheduleAtFixedRate(this::safeTick, TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      warnOnce("Could not check the backup schedule: " + e.getMessage());
    }
  }

  /** Queues the backup that is due now, if any; its task id. */
  public Optional<String> tick() {
    Instant now = clock.instant();
    Optional<String> queued = jdbi.inTransaction(h -> claimDueSlot(h, now));
    queued.ifPresent(id -> wakeEngine.run());
    return queued;
  }

  private Optional<String> claimDueSlot(Handle h, Instant now) {
    BackupSettings settings = BackupSettings.read(h);
    if (!settings.scheduled()) {
      return Optional.empty();
    }
    BackupSchedule schedule;
    try {
      schedule = settings.parsedSchedule(zone).orElseThrow();
    } catch (IllegalArgumentException e) {
      warnOnce("Scheduled backups are not running: " + e.getMessage());
      return Optional.empty();
    }
    Optional<String> lastDue = DatabaseMetadata.get(h, BackupSettings.LAST_DUE);
    if (lastDue.isEmpty()) {
      DatabaseMetadata.put(h, BackupSettings.LAST_DUE, now.toString());
      return Optional.empty();
    }
    Optional<Instant> slot = schedule.dueSlot(Instant.parse(lastDue.get()), now);
    if (slot.isEmpty()) {
      return Optional.empty();
    }
    int claimed =
        h.createUpdate(
                "UPDATE sepia_metadata SET item_value = :slot"
                    + " WHERE item_name = :name AND item_value = :seen")
            .bind("slot", slot.get().toString())
            .bind("name", BackupSettings.LAST_DUE)
            .bind("seen", lastDue.get())
            .execute();
    if (claimed == 0) {
      return Optional.empty(); // another node took this slot
    }
    if (unfinishedBackup(h)) {
      log.warn(
          "Skipped the scheduled backup for {}: the previous backup is still running. Choose a"
              + " less frequent schedule if this repeats.",
          slot.get());
      return Optional.empty();
    }
    return Optional.of(
        TaskStore.enqueue(
            h,
            BackupTask.NAME,
            "Scheduled backup for " + slot.get(),
            BackupTask.scheduledFor(slot.get()),
            "system"));
  }

  private static boolean unfinishedBackup(Handle h) {
    return h.createQuery(
                "SELECT COUNT(*) FROM server_tasks WHERE name = :name"
                    + " AND state IN ('Queued', 'Executing')")
            .bind("name", BackupTask.NAME)
            .mapTo(Integer.class)
            .one()
        > 0;
  }

  /** When the next scheduled backup is due, if backups are scheduled. */
  public static Optional<Instant> nextRun(Jdbi jdbi, ZoneId zone, Instant now) {
    BackupSettings settings = BackupSettings.read(jdbi);
    if (!settings.scheduled()) {
      return Optional.empty();
    }
    BackupSchedule schedule;
    try {
      schedule = settings.parsedSchedule(zone).orElseThrow();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    Instant from =
        new DatabaseMetadata(jdbi)
            .get(BackupSettings.LAST_DUE)
            .map(Instant::parse)
            .filter(due -> due.isBefore(now))
            .orElse(now);
    return schedule.nextAfter(from);
  }

  private synchronized void warnOnce(String message) {
    if (!message.equals(lastWarning)) {
      log.warn(message);
      lastWarning = message;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
