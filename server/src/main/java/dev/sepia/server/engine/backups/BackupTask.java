package dev.sepia.server.engine.backups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.server.engine.tasks.TaskContext;
import dev.sepia.server.engine.tasks.TaskKind;
import dev.sepia.server.engine.tasks.TaskLog;
import dev.sepia.server.store.DatabaseMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * The "Backup" task: writes a backup archive into the backup folder, remembers it as the last
 * successful backup, then applies the retention rule to the archives this task wrote before (files
 * named {@code sepia-backup-<instance>-<UTC time>.zip}; nothing else in the folder is touched).
 */
public final class BackupTask implements TaskKind {
  public static final String NAME = "Backup";
  static final String EXTENSION = ".zip";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbi jdbi;
  private final BackupMaker maker;
  private final Path home;
  private final String instance;
  private final Clock clock;

  public BackupTask(Jdbi jdbi, BackupMaker maker, Path home, String instance, Clock clock) {
    this.jdbi = jdbi;
    this.maker = maker;
    this.home = home;
    this.instance = instance;
    this.clock = clock;
  }

  /** The arguments of a backup made for a schedule slot. */
  static ObjectNode scheduledFor(Instant slot) {
    ObjectNode arguments = JSON.createObjectNode();
    arguments.put("scheduledFor", slot.toString());
    return arguments;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe(JsonNode arguments) {
    JsonNode slot = arguments.get("scheduledFor");
    if (slot == null) {
      return "Back up the database and task logs";
    }
    try {
      return "Scheduled backup for " + Instant.parse(slot.asText());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("scheduledFor must be an ISO-8601 instant.");
    }
  }

  @Override
  public void run(JsonNode arguments, TaskContext context) throws Exception {
    TaskLog log = context.log();
    BackupSettings settings = BackupSettings.read(jdbi);
    Path folder = settings.folder(home);
    Files.createDirectories(folder);
    Instant now = clock.instant();
    Path file = folder.resolve(prefix() + STAMP.format(now) + EXTENSION);
    log.info("Writing the backup to " + file);
    BackupMaker.Written written = maker.write(file, context.requestedBy());
    log.info(
        "Backed up "
            + written.tables()
            + " table(s) with "
            + written.rows()
            + " row(s) and "
            + written.files()
            + " file(s): "
            + written.bytes()
            + " bytes, SHA-256 "
            + written.sha256());
    log.info(
        "The master key is not in scheduled backups: keep it escrowed (sepia-server"
            + " export-master-key or show-master-key --shares).");
    ObjectNode last = JSON.createObjectNode();
    last.put("taskId", context.taskId());
    last.put("file", written.file().toString());
    last.put("bytes", written.bytes());
    last.put("sha256", written.sha256());
    last.put("completedAt", clock.instant().toString());
    jdbi.useTransaction(h -> DatabaseMetadata.put(h, BackupSettings.LAST_SUCCESS, last.toString()));
    applyRetention(settings.parsedRetention(), folder, log);
  }

  private void applyRetention(BackupRetention retention, Path folder, TaskLog log)
      throws IOException {
    List<BackupRetention.Kept> kept = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      files.forEach(
          f -> createdAt(f).ifPresent(t -> kept.add(new BackupRetention.Kept(name(f), t))));
    }
    List<BackupRetention.Kept> delete = retention.toDelete(kept, clock.instant());
    for (BackupRetention.Kept old : delete) {
      Files.deleteIfExists(folder.resolve(old.name()));
      log.info("Retention (" + retention.describe() + "): deleted " + old.name());
    }
    log.info(
        "Retention ("
            + retention.describe()
            + "): "
            + (kept.size() - delete.size())
            + " backup(s) kept in "
            + folder);
  }

  private String prefix() {
    return "sepia-backup-" + instance + "-";
  }

  /** When a file this task wrote was made, from its name; empty for any other file. */
  private Optional<Instant> createdAt(Path file) {
    String name = name(file);
    if (!name.startsWith(prefix()) || !name.endsWith(EXTENSION)) {
      return Optional.empty();
    }
    String stamp = name.substring(prefix().length(), name.length() - EXTENSION.length());
    try {
      return Optional.of(Instant.from(STAMP.parse(stamp)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String name(Path file) {
    return file.getFileName().toString();
  }

  /** The last successful backup, as the task recorded it. */
  public static Optional<JsonNode> lastSuccess(Jdbi jdbi) {
    return new DatabaseMetadata(jdbi)
        .get(BackupSettings.LAST_SUCCESS)
        .map(
            text -> {
              try {
                return JSON.readTree(text);
              } catch (IOException e) {
                return null;
              }
            });
  }
}
