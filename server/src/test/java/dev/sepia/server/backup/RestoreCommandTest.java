package dev.sepia.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.InsecureKeyAccess;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.DatabaseState;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** restore refuses what would not work before it writes anything, and names the way out. */
class RestoreCommandTest {
  @TempDir static Path shared;
  static BackupFixture source;
  static Path backup;

  @TempDir Path temp;

  @BeforeAll
  static void backUpAPopulatedServer() throws Exception {
    source = BackupFixture.populated(shared, DatabaseKind.POSTGRESQL, running -> {});
    backup = shared.resolve("backup.zip");
    Path passphrase = Files.writeString(shared.resolve("passphrase.txt"), "the passphrase");
    BackupFixture.must(
        source.sourceEnv,
        "backup",
        "--file",
        backup.toString(),
        "--includeMasterKey",
        "--passphraseFile",
        passphrase.toString(),
        "--instance",
        BackupFixture.SOURCE_INSTANCE);
  }

  private BackupFixture target() {
    BackupFixture f = source.withTargetIn(temp);
    f.createTargetInstance();
    return f;
  }

  private static BackupFixture.Run restore(
      BackupFixture f, Map<String, String> env, Path file, String url, String... keyArgs) {
    String[] args = new String[7 + keyArgs.length];
    String[] fixed = {
      "restore",
      "--file",
      file.toString(),
      "--connectionString",
      url,
      "--instance",
      BackupFixture.TARGET_INSTANCE
    };
    System.arraycopy(fixed, 0, args, 0, fixed.length);
    System.arraycopy(keyArgs, 0, args, fixed.length, keyArgs.length);
    return BackupFixture.run(env, args);
  }

  private static DatabaseState state(String url) {
    try (Database db = Database.open(url, true)) {
      return new DatabaseMetadata(db.jdbi()).inspect();
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void wrongKey_isRefusedBeforeAnythingIsWritten(DatabaseKind kind) throws Exception {
    BackupFixture f = target();
    String url = TestDatabases.emptyDatabase(kind, temp);
    byte[] config = Files.readAllBytes(f.targetConfig());
    SymmetricKey wrong = SymmetricKey.generate();

    BackupFixture.Run run =
        restore(f, f.targetEnv, backup, url, "--masterKey", InsecureKeyAccess.toBase64(wrong));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "The key (id "
                + wrong.keyId()
                + ") does not open this backup; it was made with key id "
                + source.sourceKey().keyId())
        .contains("Nothing was changed.");
    assertThat(Files.readAllBytes(f.targetConfig())).isEqualTo(config);
    if (kind == DatabaseKind.H2) {
      assertThat(temp.resolve("db1")).doesNotExist();
    }
    assertThat(state(url)).isEqualTo(DatabaseState.EMPTY);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void wrongPassphrase_isRefusedBeforeAnythingIsWritten(DatabaseKind kind) throws Exception {
    BackupFixture f = target();
    String url = TestDatabases.emptyDatabase(kind, temp);
    byte[] config = Files.readAllBytes(f.targetConfig());
    Map<String, String> env = new HashMap<>(f.targetEnv);
    env.put("RESTORE_PASSPHRASE", "not the passphrase");

    BackupFixture.Run run = restore(f, env, backup, url, "--passphraseEnv", "RESTORE_PASSPHRASE");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("The passphrase does not open the master key");
    assertThat(Files.readAllBytes(f.targetConfig())).isEqualTo(config);
    assertThat(state(url)).isEqualTo(DatabaseState.EMPTY);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void damagedArchive_isRefusedBeforeAnythingIsWritten(DatabaseKind kind) throws Exception {
    BackupFixture f = target();
    String url = TestDatabases.emptyDatabase(kind, temp);
    Path damaged =
        ArchiveDamage.flipInside(backup, "database/variables.jsonl", temp.resolve("bad.zip"));

    BackupFixture.Run run =
        restore(f, f.targetEnv, damaged, url, "--masterKey", source.sourceKeyBase64());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("entry database/variables.jsonl is damaged");
    assertThat(state(url)).isEqualTo(DatabaseState.EMPTY);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void anArchiveChangedWithoutTheKey_isRefusedBeforeAnythingIsWritten(DatabaseKind kind)
      throws Exception {
    BackupFixture f = target();
    String url = TestDatabases.emptyDatabase(kind, temp);
    Path changed =
        ArchiveDamage.editedAndResummed(
            backup,
            "database/deployment_steps.jsonl",
            rows -> rows.replace("echo ", "rm -rf /srv/app; echo "),
            temp.resolve("changed.zip"));

    BackupFixture.Run run =
        restore(f, f.targetEnv, changed, url, "--masterKey", source.sourceKeyBase64());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("was changed after it was written");
    assertThat(state(url)).isEqualTo(DatabaseState.EMPTY);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void passphraseOfTheIncludedKey_restoresAndSavesTheKey(DatabaseKind kind) throws Exception {
    BackupFixture f = target();
    String url = TestDatabases.emptyDatabase(kind, temp);
    Map<String, String> env = new HashMap<>(f.targetEnv);
    env.put("RESTORE_PASSPHRASE", "the passphrase");

    BackupFixture.Run run = restore(f, env, backup, url, "--passphraseEnv", "RESTORE_PASSPHRASE");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(BackupFixture.key(f.targetEnv, BackupFixture.TARGET_INSTANCE).keyId())
        .isEqualTo(source.sourceKey().keyId());
    assertThat(BackupFixture.config(f.targetEnv, BackupFixture.TARGET_INSTANCE).connectionString())
        .isEqualTo(url);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void databaseWithSepiaTables_isRefusedNamingTheFix(DatabaseKind kind) throws Exception {
    BackupFixture f = target();
    String url = TestDatabases.emptyDatabase(kind, temp);
    BackupFixture.must(
        f.targetEnv,
        "restore",
        "--file",
        backup.toString(),
        "--connectionString",
        url,
        "--masterKey",
        source.sourceKeyBase64(),
        "--instance",
        BackupFixture.TARGET_INSTANCE);
    Map<String, Long> rows = BackupFixture.rowCounts(url);

    BackupFixture.Run again =
        restore(f, f.targetEnv, backup, url, "--masterKey", source.sourceKeyBase64());

    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err())
        .contains("already holds a Sepia database")
        .contains("Empty it first")
        .contains("Nothing was changed.");
    assertThat(BackupFixture.rowCounts(url)).isEqualTo(rows);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void rerunOntoAHalfWrittenTarget_isRefusedClearly(DatabaseKind kind) {
    BackupFixture f = target();
    String url = TestDatabases.emptyDatabase(kind, temp);
    // What a restore that failed part-way leaves: the schema, but no master key verifier.
    try (Database db = Database.open(url, true)) {
      new Schema(db).migrateTo("3");
    }

    BackupFixture.Run run =
        restore(f, f.targetEnv, backup, url, "--masterKey", source.sourceKeyBase64());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("holds an unfinished Sepia database (an interrupted restore or create)")
        .contains("then run restore again");
  }

  @Test
  void tasksTheOldServerLeftUnfinished_areEndedNotResumed() throws Exception {
    String[] ids = {"ServerTasks-left-running", "ServerTasks-left-queued"};
    String[] states = {"Executing", "Queued"};
    try (Database db = Database.open(source.url, false)) {
      db.jdbi()
          .useTransaction(
              h -> {
                for (int i = 0; i < ids.length; i++) {
                  h.createUpdate(
                          "INSERT INTO server_tasks (id, name, description, arguments, state,"
                              + " created_by, queued_at) VALUES (:id, 'Health', 'Check', '{}',"
                              + " :state, 'admin', :now)")
                      .bind("id", ids[i])
                      .bind("state", states[i])
                      .bind("now", Instant.now())
                      .execute();
                }
              });
    }
    Path withTasks = temp.resolve("with-unfinished-tasks.zip");
    BackupFixture.must(
        source.sourceEnv,
        "backup",
        "--file",
        withTasks.toString(),
        "--instance",
        BackupFixture.SOURCE_INSTANCE);
    try (Database db = Database.open(source.url, false)) {
      db.jdbi()
          .useHandle(
              h ->
                  h.createUpdate("DELETE FROM server_tasks WHERE id IN (<ids>)")
                      .bindList("ids", List.of(ids))
                      .execute());
    }
    BackupFixture f = target();
    String url = TestDatabases.emptyDatabase(DatabaseKind.H2, temp);

    BackupFixture.Run run =
        restore(f, f.targetEnv, withTasks, url, "--masterKey", source.sourceKeyBase64());

    assertThat(run.exit()).as(run.toString()).isZero();
    try (Database db = Database.open(url, false)) {
      Map<String, String> after =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT id, state, error_message FROM server_tasks WHERE id IN"
                                  + " (<ids>)")
                          .bindList("ids", List.of(ids))
                          .map(
                              (rs, ctx) ->
                                  Map.entry(
                                      rs.getString(1), rs.getString(2) + ": " + rs.getString(3)))
                          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
      assertThat(after.get(ids[0]))
          .startsWith("Failed: This task was running when the backup")
          .contains("restored, not resumed");
      assertThat(after.get(ids[1]))
          .startsWith("Cancelled: This task was queued when the backup")
          .contains("Retry it if it is still wanted");
    }
  }
}
