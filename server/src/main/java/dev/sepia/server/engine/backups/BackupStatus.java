package dev.sepia.server.engine.backups;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.engine.tasks.ServerTask;
import dev.sepia.server.engine.tasks.TaskStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What an administrator wants to know about backups at a glance: the schedule in words, where the
 * backups go, when the next one runs, and how the last one went. Shared by the API and the UI.
 */
public record BackupStatus(
    String schedule,
    String scheduleDescription,
    String scheduleProblem,
    ZoneId timeZone,
    String retention,
    String retentionDescription,
    Path folder,
    Instant nextRunAt,
    ServerTask lastTask,
    JsonNode lastSuccess) {

  /**
   * @param zone this node's time zone, for a schedule saved without one
   */
  public static BackupStatus read(Jdbi jdbi, Path home, ZoneId zone, Instant now) {
    BackupSettings settings = BackupSettings.read(jdbi);
    String description = null;
    String problem = null;
    ZoneId scheduleZone = zone;
    try {
      scheduleZone = settings.zone(zone);
      description = settings.parsedSchedule(zone).map(BackupSchedule::describe).orElse(null);
    } catch (IllegalArgumentException e) {
      problem = e.getMessage();
    }
    String retentionDescription;
    try {
      retentionDescription = settings.parsedRetention().describe();
    } catch (IllegalArgumentException e) {
      retentionDescription = e.getMessage();
    }
    return new BackupStatus(
        settings.schedule(),
        description,
        problem,
        scheduleZone,
        settings.retention(),
        retentionDescription,
        settings.folder(home),
        BackupScheduler.nextRun(jdbi, zone, now).orElse(null),
        new TaskStore(jdbi).latestOf(BackupTask.NAME).orElse(null),
        BackupTask.lastSuccess(jdbi).orElse(null));
  }

  public boolean scheduled() {
    return schedule != null;
  }

  public Optional<ServerTask> last() {
    return Optional.ofNullable(lastTask);
  }
}
