package dev.sepia.server.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.config.PublicUrl;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.engine.backups.BackupRetention;
import dev.sepia.server.engine.backups.BackupSchedule;
import dev.sepia.server.engine.backups.BackupSettings;
import dev.sepia.server.startup.ListenPrefix;
import dev.sepia.server.startup.OpenInstance;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "configure",
    description = {
      "Changes settings of this instance.",
      "Home, listen prefixes, port and node name take effect when the server restarts. The public"
          + " URL and the backup settings are kept in the database, shared by every node, and take"
          + " effect within a minute without a restart."
    })
final class ConfigureCommand extends InstanceCommand {
  @Option(names = "--home", description = "Home folder for task logs, artifacts and reports.")
  Path home;

  @Option(
      names = "--webListenPrefixes",
      description = "Where the web portal and API listen, e.g. http://0.0.0.0:8050.")
  String webListenPrefixes;

  @Option(
      names = "--commsListenPort",
      description = "TCP port polling Tentacles connect to (default 10943).")
  Integer commsListenPort;

  @Option(names = "--serverNodeName", description = "Name of this server node.")
  String nodeName;

  @Option(
      names = "--publicUrl",
      paramLabel = "URL",
      description =
          "The address Tentacles and browsers use to reach this server, e.g."
              + " https://sepia.example.com, shown in the Tentacle commands of the web UI; none"
              + " to remove it (the UI then uses the address the browser used).")
  String publicUrl;

  @Option(
      names = "--backupSchedule",
      paramLabel = "CRON",
      description =
          "When to back up: a cron expression (minute hour day-of-month month day-of-week, e.g."
              + " \"0 2 * * *\" for 02:00 every day, or @daily), or none to stop scheduled"
              + " backups. It is read in --backupTimeZone, or else in this machine's time zone,"
              + " which is saved with it.")
  String backupSchedule;

  @Option(
      names = "--backupTimeZone",
      paramLabel = "ZONE",
      description =
          "The time zone the backup schedule is read in, e.g. Europe/Berlin or UTC, the same on"
              + " every server node.")
  String backupTimeZone;

  @Option(
      names = "--backupRetention",
      paramLabel = "N|Nd",
      description =
          "Which scheduled backups to keep: the newest N (e.g. 14, the default) or those made in"
              + " the last N days (e.g. 30d). The newest is always kept.")
  String backupRetention;

  @Option(
      names = "--backupFolder",
      paramLabel = "FOLDER",
      description =
          "Where scheduled backups are written (default: Backups in the home folder of the node"
              + " that runs them). Use storage that survives losing this machine.")
  Path backupFolder;

  @Override
  public Integer call() {
    // Validate everything before changing anything.
    if (webListenPrefixes != null) {
      ListenPrefix.parse(webListenPrefixes);
    }
    if (commsListenPort != null && (commsListenPort < 1 || commsListenPort > 65535)) {
      throw new OperatorException(
          "--commsListenPort must be between 1 and 65535 (the default is 10943).", 2);
    }
    if (nodeName != null && nodeName.isBlank()) {
      throw new OperatorException("--serverNodeName cannot be empty.", 2);
    }
    ZoneId zone = null;
    if (backupTimeZone != null) {
      try {
        zone = BackupSchedule.zone(backupTimeZone);
      } catch (IllegalArgumentException e) {
        throw new OperatorException("--backupTimeZone: " + e.getMessage(), 2);
      }
    } else if (backupSchedule != null) {
      zone = ZoneId.systemDefault();
    }
    BackupSchedule schedule = null;
    if (backupSchedule != null && !BackupSettings.OFF.equalsIgnoreCase(backupSchedule.trim())) {
      try {
        schedule = BackupSchedule.parse(backupSchedule, zone);
      } catch (IllegalArgumentException e) {
        throw new OperatorException("--backupSchedule: " + e.getMessage(), 2);
      }
    }
    String url = null;
    if (publicUrl != null && !PublicUrl.NONE.equalsIgnoreCase(publicUrl.trim())) {
      try {
        url = PublicUrl.parse(publicUrl);
      } catch (IllegalArgumentException e) {
        throw new OperatorException("--publicUrl: " + e.getMessage(), 2);
      }
    }
    BackupRetention retention = null;
    if (backupRetention != null) {
      try {
        retention = BackupRetention.parse(backupRetention);
      } catch (IllegalArgumentException e) {
        throw new OperatorException("--backupRetention: " + e.getMessage(), 2);
      }
    }
    boolean backupChanges =
        backupSchedule != null || zone != null || retention != null || backupFolder != null;
    boolean configChanges =
        home != null || webListenPrefixes != null || commsListenPort != null || nodeName != null;
    if (!backupChanges && !configChanges && publicUrl == null) {
      throw new OperatorException(
          "Nothing to change: pass --home, --webListenPrefixes, --commsListenPort,"
              + " --serverNodeName, --publicUrl, --backupSchedule, --backupTimeZone,"
              + " --backupRetention or --backupFolder.",
          2);
    }
    if (publicUrl != null || backupChanges) {
      saveSharedSettings(url, backupChanges, schedule, zone, retention);
    }
    if (!configChanges) {
      return 0;
    }
    ServerConfig config = config();
    List<String> changes = new ArrayList<>();
    if (home != null) {
      String value = home.toAbsolutePath().normalize().toString();
      config.file().set(ServerConfig.HOME, value);
      changes.add("Home folder: " + value);
    }
    if (webListenPrefixes != null) {
      config.file().set(ServerConfig.LISTEN_PREFIXES, webListenPrefixes.trim());
      changes.add("Web listen prefix: " + webListenPrefixes.trim());
    }
    if (commsListenPort != null) {
      config.file().set(ServerConfig.COMMS_PORT, commsListenPort.toString());
      changes.add("Polling comms port: " + commsListenPort);
    }
    if (nodeName != null) {
      config.file().set(ServerConfig.NODE_NAME, nodeName.trim());
      changes.add("Node name: " + nodeName.trim());
    }
    config.save();
    changes.forEach(c -> out().println(c));
    out().println("These changes require a restart of the Sepia server.");
    return 0;
  }

  /**
   * Saves the settings kept in the database (the public URL, the backup settings) in one
   * transaction, each audited, and says what changed once it is committed.
   */
  private void saveSharedSettings(
      String url,
      boolean backupChanges,
      BackupSchedule schedule,
      ZoneId zone,
      BackupRetention retention) {
    List<String> said = new ArrayList<>();
    try (OpenInstance instance = openInstance()) {
      instance
          .jdbi()
          .useTransaction(
              h -> {
                if (publicUrl != null) {
                  said.addAll(savePublicUrl(h, url));
                }
                if (backupChanges) {
                  said.addAll(saveBackupSettings(h, schedule, zone, retention));
                }
              });
    }
    said.forEach(line -> out().println(line));
  }

  private static List<String> savePublicUrl(Handle h, String url) {
    String change = url == null ? "Public URL: removed" : "Public URL: " + url;
    PublicUrl.save(h, url);
    AuditLog.record(h, AuditLog.commandLineActor(), "PublicUrlChanged", change);
    return List.of(change, "The web UI shows it at once, on every server node.");
  }

  private List<String> saveBackupSettings(
      Handle h, BackupSchedule schedule, ZoneId zone, BackupRetention retention) {
    List<String> changes = new ArrayList<>();
    if (backupSchedule != null) {
      changes.add(
          schedule == null
              ? "Scheduled backups: off"
              : "Backup schedule: "
                  + schedule.expression()
                  + " ("
                  + schedule.describe()
                  + ", "
                  + schedule.zone().getId()
                  + ")");
    } else if (zone != null) {
      changes.add("Backup time zone: " + zone.getId());
    }
    if (retention != null) {
      changes.add("Backup retention: " + retention.describe());
    }
    if (backupFolder != null) {
      changes.add("Backup folder: " + backupFolder.toAbsolutePath().normalize());
    }
    if (backupSchedule != null) {
      BackupSettings.saveSchedule(
          h, schedule == null ? BackupSettings.OFF : schedule.expression(), Instant.now());
    }
    if (zone != null) {
      BackupSettings.saveTimeZone(h, zone, Instant.now());
    }
    if (retention != null) {
      BackupSettings.saveRetention(h, retention);
    }
    if (backupFolder != null) {
      BackupSettings.saveFolder(h, backupFolder);
    }
    AuditLog.record(
        h, AuditLog.commandLineActor(), "BackupSettingsChanged", String.join("; ", changes));
    changes.add("Backup settings are shared by every server node and take effect within a minute.");
    return changes;
  }
}
