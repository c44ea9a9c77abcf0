package dev.sepia.server.backup;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.sepia.crypto.InsecureKeyAccess;
import dev.sepia.crypto.KeyedTag;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.crypto.PassphraseBox;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.startup.Version;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.DatabaseMetadata;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Writes a backup archive of a running or stopped instance (see {@link BackupManifest} for the
 * layout). Every table is read inside one read-only transaction that sees a single snapshot of the
 * database, so rows written while the backup runs are either all in it or all left out; rows are
 * streamed, never held a table at a time. The archive is written next to its final name as {@code
 * <file>.partial} and only takes its name once complete, so a file with the final name is always a
 * whole backup. Prints nothing: callers (the {@code backup} command, a scheduled task) report the
 * returned summary.
 */
public final class BackupWriter {
  /** H2's JDBC constant for its SNAPSHOT isolation level (org.h2.engine.Constants). */
  static final int H2_SNAPSHOT = 6;

  static final String[] HOME_FOLDERS = {"TaskLogs", "Reports", "Artifacts"};
  private static final int FETCH_SIZE = 500;

  /** Told as the backup goes; lets a caller show progress (and tests act between tables). */
  public interface Listener {
    void tableWritten(String table, long rows);
  }

  private final Database database;
  private final Path home;
  private final String instanceName;
  private final Keyring keys;
  private SymmetricKey includedKey;
  private byte[] wrappedKey;
  private Listener listener = (table, rows) -> {};

  /**
   * @param database the instance's database (the server may be using it at the same time)
   * @param home the instance home, whose task logs, reports and artifacts are included
   * @param keys the master key(s) held; the one that opens the database tags the manifest, so a
   *     restore can tell that nobody without the key changed the archive
   */
  public BackupWriter(Database database, Path home, String instanceName, Keyring keys) {
    this.database = Objects.requireNonNull(database);
    this.home = Objects.requireNonNull(home);
    this.instanceName = Objects.requireNonNull(instanceName);
    this.keys = Objects.requireNonNull(keys);
  }

  /**
   * Includes the master key, sealed at once with {@code passphrase} (Argon2id + AES-GCM); the
   * caller may wipe the passphrase as soon as this returns. The key must be the one the database
   * was sealed with: {@link #write} refuses another.
   */
  public BackupWriter includeMasterKey(SymmetricKey key, char[] passphrase) {
    return includeMasterKey(key, passphrase, null);
  }

  /** As {@link #includeMasterKey(SymmetricKey, char[])}, with a box of chosen Argon2 parameters. */
  BackupWriter includeMasterKey(SymmetricKey key, char[] passphrase, PassphraseBox box) {
    byte[] raw = InsecureKeyAccess.rawBytes(key);
    try {
      wrappedKey =
          box == null ? PassphraseBox.seal(passphrase, raw) : box.sealWith(passphrase, raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    includedKey = key;
    return this;
  }

  public BackupWriter listener(Listener listener) {
    this.listener = Objects.requireNonNull(listener);
    return this;
  }

  /**
   * Writes the archive to {@code file} and records an audit event by {@code actor}.
   *
   * @throws OperatorException if {@code file} exists (a backup never overwrites one), if the
   *     database is not a finished Sepia database, or if the included key does not open it
   */
  public BackupSummary write(Path file, String actor) {
    Path target = file.toAbsolutePath();
    requireNew(target);
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    MessageDigest archiveDigest = Sha256.digest();
    BackupManifest manifest;
    OutputStream fileOut;
    try {
      Files.createDirectories(target.getParent());
      fileOut = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      throw new OperatorException(
          "The file "
              + partial
              + " exists: another backup to "
              + target
              + " is running, or an earlier one was interrupted. If none is running, delete"
              + " that file and run the backup again. Nothing was written.");
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot create " + partial + ": " + e.getMessage() + ". Nothing was written.", e);
    }
    try {
      try (ZipOutputStream zip =
          new ZipOutputStream(
              new BufferedOutputStream(new DigestOutputStream(fileOut, archiveDigest), 1 << 16))) {
        manifest = writeEntries(zip);
      }
      moveIntoPlace(partial, target);
    } catch (IOException e) {
      deleteQuietly(partial);
      throw new OperatorException(
          "Writing the backup to " + partial + " failed: " + e.getMessage() + ". Nothing was kept.",
          e);
    } catch (SQLException e) {
      deleteQuietly(partial);
      throw new OperatorException(
          "Reading the database for the backup failed: "
              + e.getMessage()
              + ". Nothing was kept; run the backup again.",
          e);
    } catch (RuntimeException e) {
      deleteQuietly(partial);
      throw e;
    }
    long size;
    try {
      size = Files.size(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BackupSummary summary = new BackupSummary(target, manifest, size, Sha256.hex(archiveDigest));
    new AuditLog(database.jdbi())
        .record(
            actor,
            "BackupCreated",
            "Backed up "
                + summary.tableCount()
                + " tables ("
                + summary.rowCount()
                + " rows) and "
                + summary.fileCount()
                + " files to "
                + target
                + " (sha256 "
                + summary.archiveSha256()
                + "); master key "
                + (manifest.includesMasterKey()
                    ? "included, wrapped with a passphrase"
                    : "not included"));
    return summary;
  }

  /** Refuses a file name that is taken: a backup never overwrites a file. */
  public static void requireNew(Path file) {
    if (Files.exists(file)) {
      throw new OperatorException(
          "The file "
              + file.toAbsolutePath()
              + " already exists, and a backup never overwrites a file. Give a new name (for"
              + " example with the date in it), or move the old file away first. Nothing was"
              + " written.",
          2);
    }
  }

  private BackupManifest writeEntries(ZipOutputStream zip) throws IOException, SQLException {
    JsonFactory json = new JsonFactory();
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    Instant createdAt;
    String schemaVersion;
    String verifier;
    SymmetricKey tagKey;
    List<BackupManifest.TableEntry> tables = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      // PostgreSQL's REPEATABLE READ is snapshot isolation. H2's REPEATABLE READ fixes each table
      // only when first read (a table read later could show a newer commit); its SNAPSHOT level
      // takes every table's snapshot at the transaction's first statement.
      c.setTransactionIsolation(
          database.kind() == DatabaseKind.POSTGRESQL
              ? Connection.TRANSACTION_REPEATABLE_READ
              : H2_SNAPSHOT);
      try {
        var actualNames = BackupTables.allTables(c);
        createdAt = Instant.now();
        verifier = verifier(c, actualNames.get(BackupTables.METADATA));
        refuseDuringRotation(c, actualNames.get(BackupTables.METADATA));
        tagKey = tagKey(verifier);
        schemaVersion = schemaVersion(c, actualNames.get("sepia_schema_history"));
        for (String table : BackupTables.toBackUp(c)) {
          tables.add(writeTable(zip, json, c, table, actualNames.get(table)));
        }
      } finally {
        c.rollback();
      }
    }
    List<BackupManifest.FileEntry> files = writeHomeFiles(zip);
    BackupManifest.FileEntry keyEntry = null;
    if (wrappedKey != null) {
      if (!MasterKeyVerifier.matches(verifier, includedKey)) {
        throw new OperatorException(
            "The master key to include (key id "
                + includedKey.keyId()
                + ") does not open this database (it was sealed with key id "
                + MasterKeyVerifier.keyIdOf(verifier)
                + "), so a backup with it would not restore. Nothing was kept.");
      }
      keyEntry = writeBytes(zip, BackupManifest.MASTER_KEY_ENTRY, wrappedKey);
    }
    BackupManifest manifest =
        new BackupManifest(
            BackupManifest.FORMAT,
            BackupManifest.FORMAT_VERSION,
            createdAt.toString(),
            Version.current(),
            database.kind().displayName(),
            schemaVersion,
            instanceName,
            MasterKeyVerifier.keyIdOf(verifier),
            keyEntry != null,
            keyEntry,
            tables,
            files);
    byte[] manifestBytes = Json.mapper().writeValueAsBytes(manifest);
    zip.putNextEntry(new ZipEntry(BackupManifest.ENTRY));
    zip.write(manifestBytes);
    zip.closeEntry();
    zip.putNextEntry(new ZipEntry(BackupManifest.TAG_ENTRY));
    zip.write(
        KeyedTag.create(tagKey, BackupManifest.TAG_PURPOSE, manifestBytes)
            .getBytes(StandardCharsets.US_ASCII));
    zip.closeEntry();
    return manifest;
  }

  /** The held key that opens the database, which tags the manifest; refused before any reading. */
  private SymmetricKey tagKey(String verifier) {
    String keyId = MasterKeyVerifier.keyIdOf(verifier);
    return keys.find(keyId)
        .filter(key -> MasterKeyVerifier.matches(verifier, key))
        .orElseThrow(
            () ->
                new OperatorException(
                    "The master key of instance '"
                        + instanceName
                        + "' (key id "
                        + keys.active().keyId()
                        + ") does not open this database (it was sealed with key id "
                        + keyId
                        + "). A backup is tagged with the database's key, so that a restore can"
                        + " tell it was not changed; give the instance its key first (sepia-server"
                        + " set-master-key --instance "
                        + instanceName
                        + " --masterKey <key>). If the key is lost, copy the database with its own"
                        + " tools (pg_dump, or H2's SCRIPT) before running lost-master-key; see"
                        + " docs/lost-master-key.md. Nothing was written."));
  }

  private static String verifier(Connection c, String metadataTable) throws SQLException {
    if (metadataTable != null) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT item_value FROM " + quote(metadataTable) + " WHERE item_name = ?")) {
        ps.setString(1, "master_key_verifier");
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
      }
    }
    throw new OperatorException(
        "The database is not a finished Sepia database (it has no master key verifier), so there"
            + " is nothing to back up. Nothing was written.");
  }

  /**
   * While a master key rotation runs, values are sealed with two keys and the database expects
   * both; a backup of that moment would need both keys to restore, so it waits for the rotation.
   */
  private static void refuseDuringRotation(Connection c, String metadataTable) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM " + quote(metadataTable) + " WHERE item_name = ?")) {
      ps.setString(1, DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && rs.getLong(1) > 0) {
          throw new OperatorException(
              "A master key rotation is under way: until it completes, sensitive values are sealed"
                  + " with two keys, and a backup would need both to restore. Let"
                  + " rotate-master-key finish (run it again if it was interrupted), then back up."
                  + " Nothing was written.");
        }
      }
    }
  }

  /** The latest migration applied, read from Flyway's history inside the snapshot. */
  private static String schemaVersion(Connection c, String historyTable) throws SQLException {
    MigrationVersion latest = null;
    if (historyTable != null) {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + quote(historyTable));
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String version = rs.getString("version");
          if (version != null && rs.getBoolean("success")) {
            MigrationVersion v = MigrationVersion.fromVersion(version);
            if (latest == null || v.isNewerThan(latest.getVersion())) {
              latest = v;
            }
          }
        }
      }
    }
    if (latest == null) {
      throw new OperatorException(
          "The database has no Sepia schema history, so it cannot be backed up. Nothing was"
              + " written.");
    }
    return latest.getVersion();
  }

  private BackupManifest.TableEntry writeTable(
      ZipOutputStream zip, JsonFactory json, Connection c, String table, String actualName)
      throws IOException, SQLException {
    String entry = BackupManifest.tableEntry(table);
    zip.putNextEntry(new ZipEntry(entry));
    Sha256.Counting out = new Sha256.Counting(zip);
    long rows = 0;
    List<BackupManifest.Column> columns = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + quote(actualName))) {
      ps.setFetchSize(FETCH_SIZE);
      try (ResultSet rs = ps.executeQuery();
          JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8)) {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        ColumnKind[] kinds = new ColumnKind[n];
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
          names[i] = meta.getColumnLabel(i + 1).toLowerCase(Locale.ROOT);
          try {
            kinds[i] = ColumnKind.of(meta.getColumnType(i + 1), meta.getColumnTypeName(i + 1));
          } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                "Backups cannot carry " + e.getMessage() + " yet (" + table + "." + names[i] + ")");
          }
          columns.add(new BackupManifest.Column(names[i], kinds[i].manifestName()));
        }
        while (rs.next()) {
          g.writeStartObject();
          for (int i = 0; i < n; i++) {
            g.writeFieldName(names[i]);
            kinds[i].write(rs, i + 1, g);
          }
          g.writeEndObject();
          g.writeRaw('\n');
          rows++;
        }
      }
    }
    out.close();
    zip.closeEntry();
    listener.tableWritten(table, rows);
    return new BackupManifest.TableEntry(table, columns, rows, entry, out.sha256());
  }

  private List<BackupManifest.FileEntry> writeHomeFiles(ZipOutputStream zip) throws IOException {
    List<BackupManifest.FileEntry> files = new ArrayList<>();
    for (String folder : HOME_FOLDERS) {
      Path root = home.resolve(folder);
      if (!Files.isDirectory(root)) {
        continue;
      }
      List<Path> paths;
      try (Stream<Path> walk = Files.walk(root)) {
        paths = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path path : paths) {
        String relative = home.relativize(path).toString().replace('\\', '/');
        String name = "files/" + relative;
        zip.putNextEntry(new ZipEntry(name));
        Sha256.Counting out = new Sha256.Counting(zip);
        // A task log may still be growing: the archive holds the bytes read, and says so.
        try (InputStream in = Files.newInputStream(path)) {
          in.transferTo(out);
        }
        out.close();
        zip.closeEntry();
        files.add(new BackupManifest.FileEntry(name, out.size(), out.sha256()));
      }
    }
    return files;
  }

  private static BackupManifest.FileEntry writeBytes(ZipOutputStream zip, String name, byte[] bytes)
      throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    Sha256.Counting out = new Sha256.Counting(zip);
    out.write(bytes);
    out.close();
    zip.closeEntry();
    return new BackupManifest.FileEntry(name, out.size(), out.sha256());
  }

  /**
   * Gives the finished archive its name without ever replacing a file: a hard link fails if the
   * name is taken, even if it was taken while the backup ran. Where links are not supported, a
   * plain move (which also refuses an existing name) is used.
   */
  private static void moveIntoPlace(Path partial, Path target) throws IOException {
    try {
      Files.createLink(target, partial);
      Files.delete(partial);
    } catch (FileAlreadyExistsException e) {
      throw new OperatorException(
          "The file "
              + target
              + " appeared while the backup was written, and a backup never overwrites a file."
              + " Nothing was kept: run the backup again with another file name.");
    } catch (UnsupportedOperationException | IOException e) {
      if (Files.exists(target)) {
        throw e;
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // Best effort: the error being reported matters more than a leftover partial file.
    }
  }
}
