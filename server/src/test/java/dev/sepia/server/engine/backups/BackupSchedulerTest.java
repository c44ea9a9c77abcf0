package dev.sepia.server.engine.backups;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sepia.server.engine.tasks.ServerTask;
import dev.sepia.server.engine.tasks.TaskContext;
import dev.sepia.server.engine.tasks.TaskLog;
import dev.sepia.server.engine.tasks.TaskStore;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The scheduler and the Backup task against a real database, with a clock the test moves. */
class BackupSchedulerTest {
  @TempDir Path temp;

  private static final class MovableClock extends Clock {
    final AtomicReference<Instant> now;

    MovableClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private Database open(DatabaseKind kind) {
    Database db = Database.open(TestDatabases.emptyDatabase(kind, temp), true);
    new Schema(db).migrate();
    return db;
  }

  private static void schedule(Jdbi jdbi, String cron, Instant at) {
    jdbi.useTransaction(h -> BackupSettings.saveSchedule(h, cron, at));
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void twoNodes_backUpEachSlotOnce(DatabaseKind kind) {
    try (Database db = open(kind)) {
      MovableClock clock = new MovableClock(Instant.parse("2026-11-26T10:00:10Z"));
      schedule(db.jdbi(), "0 * * * *", clock.instant());
      BackupScheduler first = new BackupScheduler(db.jdbi(), () -> {}, ZoneOffset.UTC, clock);
      BackupScheduler second = new BackupScheduler(db.jdbi(), () -> {}, ZoneOffset.UTC, clock);

      assertThat(first.tick()).isEmpty();
      clock.now.set(Instant.parse("2026-11-26T11:00:05Z"));
      Optional<String> queued = first.tick();
      assertThat(queued).isPresent();
      assertThat(second.tick()).isEmpty();
      ServerTask task = new TaskStore(db.jdbi()).find(queued.get()).orElseThrow();
      assertThat(task.name()).isEqualTo(BackupTask.NAME);
      assertThat(task.description()).isEqualTo("Scheduled backup for 2026-11-26T11:00:00Z");
      assertThat(task.createdBy()).isEqualTo("system");
      assertThat(BackupScheduler.nextRun(db.jdbi(), ZoneOffset.UTC, clock.instant()))
          .contains(Instant.parse("2026-11-26T12:00:00Z"));
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aNewSchedule_doesNotCatchUpOnSlotsBeforeItExisted_andNoneTurnsItOff(DatabaseKind kind) {
    try (Database db = open(kind)) {
      MovableClock clock = new MovableClock(Instant.parse("2026-11-26T10:30:00Z"));
      BackupScheduler scheduler = new BackupScheduler(db.jdbi(), () -> {}, ZoneOffset.UTC, clock);
      schedule(db.jdbi(), "0 10 * * *", clock.instant());
      assertThat(scheduler.tick()).isEmpty();

      schedule(db.jdbi(), BackupSettings.OFF, clock.instant());
      clock.now.set(Instant.parse("2026-11-28T10:30:00Z"));
      assertThat(scheduler.tick()).isEmpty();
      assertThat(BackupSettings.read(db.jdbi()).scheduled()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aBackupStillRunning_skipsTheNextSlot(DatabaseKind kind) {
    try (Database db = open(kind)) {
      MovableClock clock = new MovableClock(Instant.parse("2026-11-26T10:00:10Z"));
      schedule(db.jdbi(), "0 * * * *", clock.instant());
      BackupScheduler scheduler = new BackupScheduler(db.jdbi(), () -> {}, ZoneOffset.UTC, clock);
      clock.now.set(Instant.parse("2026-11-26T11:00:05Z"));
      assertThat(scheduler.tick()).isPresent();
      clock.now.set(Instant.parse("2026-11-26T12:00:05Z"));
      assertThat(scheduler.tick()).isEmpty();
      assertThat(BackupScheduler.nextRun(db.jdbi(), ZoneOffset.UTC, clock.instant()))
          .contains(Instant.parse("2026-11-26T13:00:00Z"));
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void theBackupTask_recordsTheLastBackup_andRetentionKeepsTheNewest(DatabaseKind kind)
      throws Exception {
    try (Database db = open(kind)) {
      Path home = temp.resolve("home-" + kind);
      Path folder = temp.resolve("backups-" + kind);
      MovableClock clock = new MovableClock(Instant.parse("2026-11-26T10:00:00Z"));
      db.jdbi()
          .useTransaction(
              h -> {
                BackupSettings.saveRetention(h, BackupRetention.parse("2"));
                BackupSettings.saveFolder(h, folder);
              });
      Files.createDirectories(folder);
      Files.writeString(folder.resolve("notes.txt"), "not a backup");
      BackupMaker maker =
          (file, actor) -> {
            Files.writeString(file, "archive " + file.getFileName());
            return new BackupMaker.Written(file, Files.size(file), "ab".repeat(32), 3, 10, 1);
          };
      BackupTask task = new BackupTask(db.jdbi(), maker, home, "Main", clock);
      for (int i = 0; i < 4; i++) {
        clock.now.set(Instant.parse("2026-11-26T10:00:00Z").plusSeconds(3600L * i));
        String taskId = "ServerTasks-" + i;
        try (TaskLog log = TaskLog.open(home, taskId)) {
          task.run(JsonNodeFactory.instance.objectNode(), new TaskContext(taskId, "system", log));
        }
      }
      List<String> names;
      try (Stream<Path> files = Files.list(folder)) {
        names = files.map(f -> f.getFileName().toString()).sorted().toList();
      }
      assertThat(names)
          .containsExactly(
              "notes.txt",
              "sepia-backup-Main-20261126T120000Z.zip",
              "sepia-backup-Main-20261126T130000Z.zip");
      assertThat(BackupTask.lastSuccess(db.jdbi()).orElseThrow().path("file").asText())
          .isEqualTo(folder.resolve("sepia-backup-Main-20261126T130000Z.zip").toString());
      assertThat(Files.readString(TaskLog.file(home, "ServerTasks-3")))
          .contains("deleted sepia-backup-Main-20261126T110000Z.zip")
          .contains("2 backup(s) kept");
    }
  }
}
