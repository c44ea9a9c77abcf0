package dev.sepia.server.backup;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Proves a backup would restore: it is restored into a scratch embedded H2 database in a temporary
 * folder (deleted afterwards), its row counts are compared with the manifest, and every value in
 * every catalogued column is opened with the key through the barrier. Nothing outside the scratch
 * folder is written.
 */
public final class BackupVerifier {
  private static final String ACTOR = "verify-backup";

  private BackupVerifier() {}

  /**
   * Verifies {@code archive} with {@code key}, using a scratch folder under {@code tempParent}.
   *
   * @throws dev.sepia.platform.cli.OperatorException if the archive is damaged, truncated or from a
   *     newer Sepia, or the key does not open it (these are found before the scratch restore)
   */
  public static VerificationReport verify(
      BackupArchive archive, SymmetricKey key, Path tempParent) {
    BackupRestorer.preflight(archive, key);
    Path scratch;
    try {
      Files.createDirectories(tempParent);
      scratch = Files.createTempDirectory(tempParent, "sepia-verify-backup-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      BackupRestorer.Outcome outcome;
      List<VerificationReport.FieldCheck> values;
      try (Database db = Database.open("jdbc:h2:file:" + scratch.resolve("verify"), true)) {
        outcome = BackupRestorer.load(archive, db, ACTOR);
        values = openEveryValue(db, Barrier.unsealed(Keyring.of(key)));
      }
      BackupManifest manifest = archive.manifest();
      List<VerificationReport.TableCheck> tables = new ArrayList<>();
      for (BackupManifest.TableEntry table : manifest.tables()) {
        Map<String, Long> counted = outcome.rowsInDatabase();
        tables.add(
            new VerificationReport.TableCheck(
                table.name(), table.rows(), counted.getOrDefault(table.name(), -1L)));
      }
      boolean ok =
          tables.stream().allMatch(VerificationReport.TableCheck::ok)
              && values.stream().allMatch(v -> v.failed() == 0);
      return new VerificationReport(
          archive.file().toString(),
          manifest.createdAt(),
          manifest.instanceName(),
          manifest.sourceEngine(),
          manifest.schemaVersion(),
          manifest.masterKeyId(),
          manifest.includesMasterKey(),
          manifest.files().size(),
          tables,
          values,
          ok);
    } finally {
      deleteTree(scratch);
    }
  }

  private static List<VerificationReport.FieldCheck> openEveryValue(Database db, Barrier barrier) {
    List<VerificationReport.FieldCheck> checks = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      for (EncryptedField field : EncryptedFieldCatalogue.all()) {
        long opened = 0;
        long failed = 0;
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + field.idColumn()
                    + ", "
                    + field.column()
                    + " FROM "
                    + field.table()
                    + " WHERE "
                    + field.column()
                    + " IS NOT NULL")) {
          ps.setFetchSize(500);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              try {
                barrier.open(field, rs.getString(1), rs.getString(2));
                opened++;
              } catch (GeneralSecurityException | RuntimeException e) {
                failed++;
              }
            }
          }
        }
        checks.add(
            new VerificationReport.FieldCheck(
                field.toString(), field.ownerKind(), field.description(), opened, failed));
      }
      c.rollback();
    } catch (SQLException e) {
      throw new IllegalStateException("Reading the scratch database failed: " + e.getMessage(), e);
    }
    return checks;
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // Best effort: a scratch folder left in the temp directory holds no key, only sealed values.
    }
  }
}
