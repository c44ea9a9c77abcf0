package dev.sepia.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.platform.cli.CliRunner;
import dev.sepia.server.engine.backups.BackupSettings;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** configure --backupSchedule/--backupRetention/--backupFolder, as an operator runs it. */
class ConfigureBackupsTest {
  @TempDir Path temp;

  private record Run(int exit, String out, String err) {}

  private static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ServerMain(new ServerEnvironment(env)));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = CliRunner.execute(cli, args, env);
    return new Run(exit, out.toString(), err.toString());
  }

  private String instance(DatabaseKind kind, Map<String, String> env) {
    String connection = TestDatabases.emptyDatabase(kind, temp);
    Path config = temp.resolve("server.config.json");
    assertThat(run(env, "create-instance", "--config", config.toString()).exit()).isZero();
    assertThat(run(env, "database", "--connectionString", connection, "--create").exit()).isZero();
    return connection;
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void backupSettings_areSavedInTheDatabase_andAudited(DatabaseKind kind) {
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine").toString());
    String connection = instance(kind, env);
    Path folder = temp.resolve("backups");

    Run r =
        run(
            env,
            "configure",
            "--backupSchedule",
            "30 1 * * *",
            "--backupRetention",
            "30d",
            "--backupFolder",
            folder.toString());

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("Backup schedule: 30 1 * * *")
        .contains("01:30")
        .contains("Backup retention: keep scheduled backups made in the last 30 day(s)")
        .contains("Backup folder: " + folder)
        .contains("take effect within a minute");
    try (Database db = Database.open(connection, false)) {
      BackupSettings settings = BackupSettings.read(db.jdbi());
      assertThat(settings.schedule()).isEqualTo("30 1 * * *");
      assertThat(settings.retention()).isEqualTo("30d");
      assertThat(settings.folder(temp)).isEqualTo(folder);
      int audited =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT COUNT(*) FROM events"
                                  + " WHERE category = 'BackupSettingsChanged'")
                          .mapTo(Integer.class)
                          .one());
      assertThat(audited).isEqualTo(1);
    }

    assertThat(run(env, "configure", "--backupSchedule", "none").exit()).isZero();
    try (Database db = Database.open(connection, false)) {
      assertThat(BackupSettings.read(db.jdbi()).scheduled()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aBadScheduleOrRetention_isBadUsage_andChangesNothing(DatabaseKind kind) {
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine").toString());
    String connection = instance(kind, env);

    Run badSchedule =
        run(env, "configure", "--backupSchedule", "every night", "--backupRetention", "7");
    assertThat(badSchedule.exit()).isEqualTo(2);
    assertThat(badSchedule.err())
        .contains("--backupSchedule")
        .contains("is not a cron expression")
        .contains("0 2 * * *");

    Run badRetention =
        run(env, "configure", "--backupSchedule", "0 2 * * *", "--backupRetention", "7w");
    assertThat(badRetention.exit()).isEqualTo(2);
    assertThat(badRetention.err()).contains("--backupRetention").contains("30d");

    try (Database db = Database.open(connection, false)) {
      BackupSettings settings = BackupSettings.read(db.jdbi());
      assertThat(settings.scheduled()).isFalse();
      assertThat(settings.retention()).isEqualTo("14");
    }
  }
}
