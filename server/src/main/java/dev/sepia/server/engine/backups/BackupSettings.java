package dev.sepia.server.engine.backups;

import dev.sepia.server.store.DatabaseMetadata;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Scheduled backup settings, kept in the database so every server node and the UI see the same
 * ones: the schedule (absent: off) and the time zone it is read in, the retention rule and the
 * folder (absent: {@code <home>/Backups} of the node that runs the backup). Keeping the zone with
 * the schedule means nodes in different zones (a container on UTC beside a host on local time)
 * still agree on when "02:00" is.
 */
public record BackupSettings(String schedule, String timeZone, String retention, String folder) {
  static final String SCHEDULE = "backup_schedule";
  static final String TIME_ZONE = "backup_time_zone";
  static final String RETENTION = "backup_retention";
  static final String FOLDER = "backup_folder";
  static final String LAST_DUE = "backup_last_due";
  static final String LAST_SUCCESS = "backup_last_success";

  /** The word that turns scheduled backups off. */
  public static final String OFF = "none";

  public static BackupSettings read(Jdbi jdbi) {
    return jdbi.withHandle(BackupSettings::read);
  }

  public static BackupSettings read(Handle h) {
    return new BackupSettings(
        DatabaseMetadata.get(h, SCHEDULE).filter(s -> !s.isBlank()).orElse(null),
        DatabaseMetadata.get(h, TIME_ZONE).filter(s -> !s.isBlank()).orElse(null),
        DatabaseMetadata.get(h, RETENTION).orElse(BackupRetention.DEFAULT),
        DatabaseMetadata.get(h, FOLDER).filter(s -> !s.isBlank()).orElse(null));
  }

  public boolean scheduled() {
    return schedule != null;
  }

  /**
   * The zone the schedule is read in: the saved one, or {@code fallback} (the node's own) for a
   * schedule saved without one.
   *
   * @throws IllegalArgumentException if the saved zone is not one this Java knows
   */
  public ZoneId zone(ZoneId fallback) {
    return timeZone == null ? fallback : BackupSchedule.zone(timeZone);
  }

  /**
   * The schedule in its zone, if backups are scheduled.
   *
   * @throws IllegalArgumentException if the saved schedule or zone cannot be read
   */
  public Optional<BackupSchedule> parsedSchedule(ZoneId fallback) {
    return scheduled()
        ? Optional.of(BackupSchedule.parse(schedule, zone(fallback)))
        : Optional.empty();
  }

  public BackupRetention parsedRetention() {
    return BackupRetention.parse(retention);
  }

  /** Where backups go on a node whose home is {@code home}. */
  public Path folder(Path home) {
    return folder == null ? home.resolve("Backups") : Path.of(folder);
  }

  /**
   * Saves a new schedule ({@link #OFF} removes it). The last-due mark is reset to now, so a new
   * schedule starts at its next slot instead of catching up on slots from before it existed.
   */
  public static void saveSchedule(Handle h, String schedule, Instant now) {
    DatabaseMetadata.put(h, SCHEDULE, OFF.equalsIgnoreCase(schedule.trim()) ? "" : schedule.trim());
    DatabaseMetadata.put(h, LAST_DUE, now.toString());
  }

  /** Saves the zone the schedule is read in; the next slot is counted from now, as above. */
  public static void saveTimeZone(Handle h, ZoneId zone, Instant now) {
    DatabaseMetadata.put(h, TIME_ZONE, zone.getId());
    DatabaseMetadata.put(h, LAST_DUE, now.toString());
  }

  public static void saveRetention(Handle h, BackupRetention retention) {
    DatabaseMetadata.put(h, RETENTION, retention.text());
  }

  public static void saveFolder(Handle h, Path folder) {
    DatabaseMetadata.put(h, FOLDER, folder.toAbsolutePath().normalize().toString());
  }
}
