package dev.sepia.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.startup.OpenInstance;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A populated server backed up while it runs, restored on another machine and engine. */
class BackupRoundTripTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void backupOfARunningServer_restoresOnTheOtherEngine_everyValueOpens_rowsMatch_logsComeBack(
      DatabaseKind source) throws Exception {
    Path file = temp.resolve("backups").resolve("sepia.zip");
    AtomicReference<BackupFixture.Run> backup = new AtomicReference<>();
    BackupFixture f =
        BackupFixture.populated(
            temp,
            source,
            running ->
                backup.set(
                    BackupFixture.run(
                        running.sourceEnv,
                        "backup",
                        "--file",
                        file.toString(),
                        "--instance",
                        BackupFixture.SOURCE_INSTANCE)));
    assertThat(backup.get().exit()).as(backup.get().toString()).isZero();
    assertThat(backup.get().out())
        .contains("Backed up instance 'Test' (" + source.displayName())
        .containsPattern("\\d+ tables, \\d+ rows, [1-9]\\d* files, \\d+ bytes")
        .containsPattern("sha256: [0-9a-f]{64}")
        .contains("is not included");
    assertThat(file).exists();
    assertThat(file.resolveSibling("sepia.zip.partial")).doesNotExist();

    SymmetricKey key = f.sourceKey();
    Map<String, Long> sourceRows = BackupFixture.rowCounts(f.url);
    Map<String, String> sourceValues = BackupFixture.openEveryValue(f.url, key);
    Map<String, String> sourceFiles = BackupFixture.homeFiles(f.sourceHome());
    assertThat(sourceFiles.keySet()).anyMatch(p -> p.startsWith("TaskLogs/"));
    for (var field : EncryptedFieldCatalogue.all()) {
      assertThat(sourceValues.get(field.toString()))
          .as("%s populated", field)
          .doesNotStartWith("0/");
    }

    DatabaseKind other = source == DatabaseKind.H2 ? DatabaseKind.POSTGRESQL : DatabaseKind.H2;
    // Into PostgreSQL: a database that does not exist yet, which restore creates.
    String target =
        other == DatabaseKind.POSTGRESQL
            ? BackupFixture.missingPostgresDatabase()
            : TestDatabases.emptyDatabase(other, temp);
    f.createTargetInstance();
    BackupFixture.Run restore =
        BackupFixture.run(
            f.targetEnv,
            "restore",
            "--file",
            file.toString(),
            "--connectionString",
            target,
            "--masterKey",
            f.sourceKeyBase64(),
            "--instance",
            BackupFixture.TARGET_INSTANCE);
    assertThat(restore.exit()).as(restore.toString()).isZero();
    assertThat(restore.out())
        .contains("master key id " + key.keyId())
        .contains("Next: sepia-server service --install --start --instance Restored");

    assertThat(BackupFixture.rowCounts(target)).isEqualTo(withRestoreEvent(sourceRows));
    assertThat(BackupFixture.openEveryValue(target, key)).isEqualTo(sourceValues);
    assertThat(BackupFixture.homeFiles(f.targetHome())).isEqualTo(sourceFiles);

    // The restored instance opens as a server would: its config has the key and the database.
    ServerEnvironment environment = new ServerEnvironment(f.targetEnv);
    try (OpenInstance opened =
        OpenInstance.open(
            environment, environment.registry().resolve(BackupFixture.TARGET_INSTANCE))) {
      var events = new AuditLog(opened.jdbi()).latest(50);
      assertThat(events).anyMatch(e -> e.category().equals("BackupRestored"));
      assertThat(events).noneMatch(e -> e.message().contains(f.sourceKeyBase64()));
    }
    try (Database db = Database.open(f.url, false)) {
      assertThat(new AuditLog(db.jdbi()).latest(50))
          .anyMatch(e -> e.category().equals("BackupCreated") && e.message().contains("sha256"));
    }
    assertThat(restore.out() + restore.err() + backup.get().out())
        .doesNotContain(f.sourceKeyBase64())
        .doesNotContain("secret-" + BackupFixture.MARK);
  }

  /**
   * The source's rows as the restored database has them: the source's "BackupCreated" event was
   * written after the snapshot, so it is not in the backup; the restore adds "BackupRestored".
   */
  private static Map<String, Long> withRestoreEvent(Map<String, Long> rows) {
    var expected = new java.util.TreeMap<>(rows);
    expected.merge("events", -1L + 1L, Long::sum);
    return expected;
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void identityColumns_continuePastTheRestoredIds(DatabaseKind kind) throws Exception {
    BackupFixture f = BackupFixture.populated(temp, kind, running -> {});
    Path file = temp.resolve("b.zip");
    BackupFixture.must(
        f.sourceEnv,
        "backup",
        "--file",
        file.toString(),
        "--instance",
        BackupFixture.SOURCE_INSTANCE);
    f.createTargetInstance();
    String target = TestDatabases.emptyDatabase(kind, temp);
    BackupFixture.must(
        f.targetEnv,
        "restore",
        "--file",
        file.toString(),
        "--connectionString",
        target,
        "--masterKey",
        f.sourceKeyBase64(),
        "--instance",
        BackupFixture.TARGET_INSTANCE);
    try (Database db = Database.open(target, false)) {
      long before =
          db.jdbi()
              .withHandle(h -> h.createQuery("SELECT MAX(id) FROM events").mapTo(Long.class).one());
      new AuditLog(db.jdbi()).record("test", "AfterRestore", "a new event gets a new id");
      long after =
          db.jdbi()
              .withHandle(h -> h.createQuery("SELECT MAX(id) FROM events").mapTo(Long.class).one());
      assertThat(after).isGreaterThan(before);
    }
    assertThat(Files.exists(file)).isTrue();
  }
}
