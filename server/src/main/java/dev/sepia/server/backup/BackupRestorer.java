package dev.sepia.server.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.DatabaseState;
import dev.sepia.server.store.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Loads a checked backup into an empty database: the schema is built up to the backup's version,
 * the rows go in table by table (parents first, in batches, one transaction), identity columns are
 * moved past the restored ids, the schema is upgraded to this Sepia's latest, and last of all the
 * master key verifier is written. A database without the verifier is not a finished Sepia database,
 * so one that a failed restore left half-written is refused by the server and by a second restore,
 * never mistaken for a whole one.
 */
public final class BackupRestorer {
  private static final int BATCH = 500;

  private BackupRestorer() {}

  /**
   * What a restore did.
   *
   * @param rowsPerTable rows loaded per table, in load order
   * @param rowsInDatabase rows counted in each table right after loading (before upgrades)
   */
  public record Outcome(
      String backupSchemaVersion,
      String schemaVersion,
      Map<String, Long> rowsPerTable,
      Map<String, Long> rowsInDatabase) {

    public long totalRows() {
      return rowsPerTable.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Every check that needs no target, so a bad archive or key is refused before anything is
   * written: every checksum, a schema this Sepia knows, and a key that opens the backup.
   */
  public static void preflight(BackupArchive archive, SymmetricKey key) {
    archive.verifyChecksums();
    archive.requireKnownSchema();
    BackupKeys.requireOpens(archive, key);
  }

  /**
   * Refuses a target that is not empty. {@code shown} is the target as an operator may see it (a
   * masked connection string).
   */
  public static void requireEmpty(Database target, String shown) {
    DatabaseState state = new DatabaseMetadata(target.jdbi()).inspect();
    switch (state) {
      case EMPTY -> {}
      case FOREIGN ->
          throw new OperatorException(
              "The database "
                  + shown
                  + " holds tables that are not Sepia's. Restore into a new, empty database."
                  + " Nothing was changed.");
      case SEPIA, SEPIA_INCOMPLETE ->
          throw new OperatorException(
              "The database "
                  + shown
                  + (state == DatabaseState.SEPIA
                      ? " already holds a Sepia database."
                      : " holds an unfinished Sepia database (an interrupted restore or"
                          + " create).")
                  + " A restore only writes into an empty database, so that nothing is mixed or"
                  + " lost. Empty it first (PostgreSQL: DROP DATABASE, then restore creates it"
                  + " again; H2: delete its .mv.db file), then run restore again. Nothing was"
                  + " changed.");
    }
  }

  /**
   * Restores the database. The archive must have passed {@link #preflight} and the target {@link
   * #requireEmpty}.
   *
   * @throws OperatorException if loading fails; the target is then half-written and must be emptied
   *     before a second attempt (the message says so)
   */
  public static Outcome load(BackupArchive archive, Database target, String actor) {
    if (!archive.isVerified()) {
      throw new IllegalStateException("preflight() first: the archive's checksums are unchecked");
    }
    BackupManifest manifest = archive.manifest();
    Schema schema = new Schema(target);
    try {
      schema.migrateTo(manifest.schemaVersion());
      Map<String, Long> loaded;
      Map<String, Long> counted;
      String verifier;
      try (Connection c = target.dataSource().getConnection()) {
        c.setAutoCommit(false);
        try {
          Loaded result = loadRows(archive, c);
          loaded = result.rows;
          verifier = result.verifier;
          c.commit();
        } catch (SQLException | IOException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
        counted = countRows(c, loaded.keySet());
        // The verifier row is held back until the end (see the class comment); it is written.
        counted.merge(BackupTables.METADATA, 1L, Long::sum);
        restartIdentities(c);
      }
      schema.migrate();
      String finalVersion = schema.currentVersion();
      target
          .jdbi()
          .useTransaction(
              h -> {
                endUnfinishedTasks(h, manifest);
                DatabaseMetadata.put(h, DatabaseMetadata.MASTER_KEY_VERIFIER, verifier);
                AuditLog.record(
                    h,
                    actor,
                    "BackupRestored",
                    "Restored the backup "
                        + archive.file().getFileName()
                        + " of instance '"
                        + manifest.instanceName()
                        + "' taken at "
                        + manifest.createdAt()
                        + " ("
                        + manifest.sourceEngine()
                        + ", schema "
                        + manifest.schemaVersion()
                        + ", "
                        + manifest.totalRows()
                        + " rows); schema now "
                        + finalVersion);
              });
      return new Outcome(manifest.schemaVersion(), finalVersion, loaded, counted);
    } catch (OperatorException e) {
      throw halfWritten(e.getMessage(), e);
    } catch (SQLException | IOException | RuntimeException e) {
      throw halfWritten(rootMessage(e), e);
    }
  }

  /**
   * Tasks that were queued or running when the backup was taken belong to the old server: none of
   * its nodes will finish them, and a queued deployment starting by itself on the restored server
   * would surprise its operator. They are ended with a message that says why; whoever wants them
   * retries them.
   */
  private static void endUnfinishedTasks(Handle h, BackupManifest manifest) {
    Instant now = Instant.now();
    String why =
        " when the backup of " + manifest.createdAt() + " was taken; it was restored, not resumed.";
    h.createUpdate(
            "UPDATE server_tasks SET state = 'Failed', completed_at = :now, error_message = :message"
                + " WHERE state = 'Executing'")
        .bind("now", now)
        .bind("message", "This task was running" + why + " Retry it if it is still wanted.")
        .execute();
    h.createUpdate(
            "UPDATE server_tasks SET state = 'Cancelled', completed_at = :now,"
                + " error_message = :message WHERE state = 'Queued'")
        .bind("now", now)
        .bind("message", "This task was queued" + why + " Retry it if it is still wanted.")
        .execute();
  }

  /**
   * Copies the archive's files into {@code home} (task logs, reports, artifacts), replacing files
   * of the same name.
   *
   * @return the number of files copied
   */
  public static int restoreFiles(BackupArchive archive, Path home) {
    Path root = home.toAbsolutePath().normalize();
    int copied = 0;
    for (BackupManifest.FileEntry f : archive.manifest().files()) {
      Path to = root.resolve(f.path().substring("files/".length())).normalize();
      if (!to.startsWith(root)) {
        throw BackupArchive.notABackup(archive.file(), "unsafe file path " + f.path());
      }
      try (InputStream in = archive.entry(f.path())) {
        Files.createDirectories(to.getParent());
        Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new OperatorException(
            "Copying " + f.path() + " from the backup to " + to + " failed: " + e.getMessage(), e);
      }
      copied++;
    }
    return copied;
  }

  private record Loaded(Map<String, Long> rows, String verifier) {}

  private static Loaded loadRows(BackupArchive archive, Connection c)
      throws SQLException, IOException {
    BackupManifest manifest = archive.manifest();
    Map<String, String> actualNames = BackupTables.allTables(c);
    Map<String, BackupManifest.TableEntry> byName = new LinkedHashMap<>();
    Map<String, String> inTarget = new LinkedHashMap<>();
    for (BackupManifest.TableEntry table : manifest.tables()) {
      String actual = actualNames.get(table.name());
      if (actual == null) {
        throw new OperatorException(
            "The backup has a table "
                + table.name()
                + " that schema version "
                + manifest.schemaVersion()
                + " does not have.");
      }
      byName.put(table.name(), table);
      inTarget.put(table.name(), actual);
    }
    List<String> order = BackupTables.parentsFirst(c, inTarget);
    // Migrations seed some rows (the default lifecycle); the backup holds them as they were.
    try (Statement s = c.createStatement()) {
      for (int i = order.size() - 1; i >= 0; i--) {
        s.executeUpdate("DELETE FROM " + BackupWriter.quote(inTarget.get(order.get(i))));
      }
    }
    Map<String, Long> loaded = new LinkedHashMap<>();
    String verifier = null;
    for (String name : order) {
      BackupManifest.TableEntry table = byName.get(name);
      boolean metadata = name.equals(BackupTables.METADATA);
      long rows = 0;
      long written = 0;
      Map<String, Integer> targetTypes = columnTypes(c, inTarget.get(name));
      List<BackupManifest.Column> columns = table.columns();
      ColumnKind[] kinds = new ColumnKind[columns.size()];
      int[] sqlTypes = new int[columns.size()];
      List<String> quoted = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        BackupManifest.Column column = columns.get(i);
        Integer type = targetTypes.get(column.name());
        if (type == null) {
          throw new OperatorException(
              "The backup's column "
                  + name
                  + "."
                  + column.name()
                  + " does not exist at schema version "
                  + manifest.schemaVersion()
                  + ".");
        }
        kinds[i] = ColumnKind.fromManifest(column.type());
        sqlTypes[i] = type;
        quoted.add(column.name());
      }
      String sql =
          "INSERT INTO "
              + BackupWriter.quote(inTarget.get(name))
              + " ("
              + String.join(", ", quoted)
              + ") VALUES ("
              + String.join(", ", java.util.Collections.nCopies(columns.size(), "?"))
              + ")";
      try (PreparedStatement insert = c.prepareStatement(sql);
          MappingIterator<ObjectNode> it = archive.rows(table)) {
        while (it.hasNext()) {
          ObjectNode row = it.next();
          rows++;
          // The verifier goes in last, once everything else is in (see the class comment).
          if (metadata && "master_key_verifier".equals(row.path("item_name").asText())) {
            verifier = row.path("item_value").textValue();
            continue;
          }
          for (int i = 0; i < columns.size(); i++) {
            JsonNode value = row.get(columns.get(i).name());
            if (!kinds[i].accepts(value)) {
              throw BackupArchive.damaged(archive.file(), table.entry());
            }
            kinds[i].bind(insert, i + 1, value, sqlTypes[i]);
          }
          insert.addBatch();
          if (++written % BATCH == 0) {
            insert.executeBatch();
          }
        }
        insert.executeBatch();
      }
      if (rows != table.rows()) {
        throw BackupArchive.damaged(archive.file(), table.entry());
      }
      loaded.put(name, rows);
    }
    if (verifier == null) {
      throw BackupArchive.notABackup(archive.file(), "its database has no master key verifier");
    }
    return new Loaded(loaded, verifier);
  }

  private static Map<String, Integer> columnTypes(Connection c, String actualTable)
      throws SQLException {
    Map<String, Integer> types = new LinkedHashMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT * FROM " + BackupWriter.quote(actualTable) + " WHERE 1 = 0");
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        types.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), meta.getColumnType(i));
      }
    }
    return types;
  }

  static Map<String, Long> countRows(Connection c, Iterable<String> tables) throws SQLException {
    Map<String, String> actualNames = BackupTables.allTables(c);
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Statement s = c.createStatement()) {
      for (String table : tables) {
        try (ResultSet rs =
            s.executeQuery("SELECT COUNT(*) FROM " + BackupWriter.quote(actualNames.get(table)))) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    }
    return counts;
  }

  /**
   * Rows came in with their ids, so identity columns would hand out those ids again: each is moved
   * past the largest restored value. ALTER TABLE … ALTER COLUMN … RESTART WITH is the same on H2
   * and PostgreSQL.
   */
  private static void restartIdentities(Connection c) throws SQLException {
    List<String[]> identities = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT table_name, column_name FROM information_schema.columns"
                    + " WHERE table_schema = CURRENT_SCHEMA AND is_identity = 'YES'");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        identities.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    try (Statement s = c.createStatement()) {
      for (String[] identity : identities) {
        String table = BackupWriter.quote(identity[0]);
        String column = BackupWriter.quote(identity[1]);
        long max;
        try (ResultSet rs = s.executeQuery("SELECT MAX(" + column + ") FROM " + table)) {
          rs.next();
          max = rs.getLong(1);
          if (rs.wasNull()) {
            continue;
          }
        }
        s.execute(
            "ALTER TABLE " + table + " ALTER COLUMN " + column + " RESTART WITH " + (max + 1));
      }
    }
  }

  private static OperatorException halfWritten(String why, Exception cause) {
    return new OperatorException(
        "The restore failed part-way: "
            + why
            + "\nThe target database now holds an unfinished restore (it has no master key"
            + " verifier, so no server will use it). Empty it (PostgreSQL: DROP DATABASE, then"
            + " restore creates it again; H2: delete its .mv.db file), then run the same restore"
            + " command again. The instance's config was not changed.",
        cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return dev.sepia.platform.config.SecretMasking.maskConnectionString(
        message.lines().findFirst().orElse(message));
  }
}
