package dev.sepia.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.platform.cli.CliRunner;
import dev.sepia.server.config.PublicUrl;
import dev.sepia.server.engine.backups.BackupScheduler;
import dev.sepia.server.engine.backups.BackupSettings;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * The settings configure keeps in the database for every server node (--publicUrl,
 * --backupSchedule, --backupTimeZone, --backupRetention, --backupFolder), as an operator runs it.
 */
class ConfigureSharedSettingsTest {
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
  void theScheduleKeepsItsTimeZone_soNodesInOtherZonesAgreeOnTheSlot(DatabaseKind kind) {
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine").toString());
    String connection = instance(kind, env);
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");

    Run r =
        run(env, "configure", "--backupSchedule", "0 2 * * *", "--backupTimeZone", "Asia/Tokyo");

    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).contains("Backup schedule: 0 2 * * *").contains("Asia/Tokyo");
    try (Database db = Database.open(connection, false)) {
      assertThat(BackupSettings.read(db.jdbi()).timeZone()).isEqualTo("Asia/Tokyo");
      Instant now = Instant.now();
      Instant onUtcNode = BackupScheduler.nextRun(db.jdbi(), ZoneOffset.UTC, now).orElseThrow();
      Instant onNewYorkNode =
          BackupScheduler.nextRun(db.jdbi(), ZoneId.of("America/New_York"), now).orElseThrow();
      assertThat(onNewYorkNode).isEqualTo(onUtcNode);
      assertThat(onUtcNode.atZone(tokyo).toLocalTime()).isEqualTo(LocalTime.of(2, 0));
    }

    Run zoneOnly = run(env, "configure", "--backupTimeZone", "UTC");
    assertThat(zoneOnly.exit()).as(zoneOnly.toString()).isZero();
    assertThat(zoneOnly.out()).contains("Backup time zone: UTC");
    try (Database db = Database.open(connection, false)) {
      BackupSettings settings = BackupSettings.read(db.jdbi());
      assertThat(settings.schedule()).isEqualTo("0 2 * * *");
      assertThat(settings.timeZone()).isEqualTo("UTC");
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

    Run badZone =
        run(env, "configure", "--backupSchedule", "0 2 * * *", "--backupTimeZone", "Mars/Olympus");
    assertThat(badZone.exit()).isEqualTo(2);
    assertThat(badZone.err())
        .contains("--backupTimeZone")
        .contains("\"Mars/Olympus\" is not a time zone")
        .contains("Europe/Berlin");

    Run badRetention =
        run(env, "configure", "--backupSchedule", "0 2 * * *", "--backupRetention", "7w");
    assertThat(badRetention.exit()).isEqualTo(2);
    assertThat(badRetention.err()).contains("--backupRetention").contains("30d");

    try (Database db = Database.open(connection, false)) {
      BackupSettings settings = BackupSettings.read(db.jdbi());
      assertThat(settings.scheduled()).isFalse();
      assertThat(settings.retention()).isEqualTo("14");
      assertThat(settings.timeZone()).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void thePublicUrl_isCheckedNormalisedSavedAndAudited_andNoneRemovesIt(DatabaseKind kind) {
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine").toString());
    String connection = instance(kind, env);

    for (String bad :
        new String[] {
          "sepia.example.com",
          "ftp://sepia.example.com",
          "https://sepia.example.com/?a=1",
          "https://"
        }) {
      Run refused = run(env, "configure", "--publicUrl", bad);
      assertThat(refused.exit()).as(bad).isEqualTo(2);
      assertThat(refused.err())
          .contains("--publicUrl")
          .contains("is not a web address for this server")
          .contains("https://sepia.example.com");
    }
    try (Database db = Database.open(connection, false)) {
      assertThat(PublicUrl.read(db.jdbi())).isEmpty();
    }

    Run saved = run(env, "configure", "--publicUrl", " HTTPS://sepia.example.com:8443/sepia/ ");
    assertThat(saved.exit()).as(saved.toString()).isZero();
    assertThat(saved.out()).contains("Public URL: https://sepia.example.com:8443/sepia");
    try (Database db = Database.open(connection, false)) {
      assertThat(PublicUrl.read(db.jdbi())).contains("https://sepia.example.com:8443/sepia");
      int audited =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT COUNT(*) FROM events WHERE category = 'PublicUrlChanged'")
                          .mapTo(Integer.class)
                          .one());
      assertThat(audited).isEqualTo(1);
    }

    assertThat(run(env, "configure", "--publicUrl", "none").exit()).isZero();
    try (Database db = Database.open(connection, false)) {
      assertThat(PublicUrl.read(db.jdbi())).isEmpty();
    }
  }
}
