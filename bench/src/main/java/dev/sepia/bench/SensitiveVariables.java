package dev.sepia.bench;

import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * Fills a Sepia database with projects that each hold {@code perProject} sensitive variables, the
 * way {@code VariableStore} stores them: a fresh {@code Variables-<uuid>} id first, then the value
 * sealed through the {@link Barrier} for that column and row (a real AES-GCM ciphertext that opens
 * nowhere else), written with JDBC batch inserts, one transaction per project. Also counts what a
 * clearing left behind, for the checks.
 */
final class SensitiveVariables {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int VALUE_LENGTH = 24;

  private SensitiveVariables() {}

  /** What a database holds of sensitive variables, and what recoveries listed as cleared. */
  record Counts(long sensitive, long stillSealed, long clearedListed) {}

  /**
   * Writes {@code projects} projects of {@code perProject} sensitive variables each, sealed with
   * {@code barrier}; prints progress every tenth of the way.
   */
  static void fill(DataSource db, Barrier barrier, int projects, int perProject, Progress progress)
      throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement project =
              c.prepareStatement(
                  "INSERT INTO projects (id, name, description, lifecycle_id, library_set_ids,"
                      + " created_at, updated_at) VALUES (?, ?, NULL, 'Lifecycles-default', '[]',"
                      + " ?, ?)");
          PreparedStatement variable =
              c.prepareStatement(
                  "INSERT INTO variables (id, owner_id, name, is_sensitive, plain_value,"
                      + " sensitive_value, scope_environments, scope_roles, scope_machines,"
                      + " position, created_at, updated_at) VALUES (?, ?, ?, TRUE, NULL, ?, '[]',"
                      + " '[]', '[]', ?, ?, ?)")) {
        for (int p = 0; p < projects; p++) {
          Timestamp now = Timestamp.from(Instant.now());
          String projectId = "Projects-" + UUID.randomUUID();
          project.setString(1, projectId);
          project.setString(2, String.format(Locale.ROOT, "Bench project %07d", p));
          project.setTimestamp(3, now);
          project.setTimestamp(4, now);
          project.executeUpdate();
          for (Row row : sealedRows(barrier, perProject)) {
            variable.setString(1, row.id());
            variable.setString(2, projectId);
            variable.setString(3, String.format(Locale.ROOT, "Secret.%04d", row.position()));
            variable.setString(4, row.sealed());
            variable.setInt(5, row.position());
            variable.setTimestamp(6, now);
            variable.setTimestamp(7, now);
            variable.addBatch();
          }
          variable.executeBatch();
          c.commit();
          progress.done(p + 1L);
        }
      }
    }
  }

  private record Row(int position, String id, String sealed) {}

  /** One project's rows, sealed on every core (sealing is most of the fill's CPU). */
  private static Row[] sealedRows(Barrier barrier, int n) {
    return IntStream.range(0, n)
        .parallel()
        .mapToObj(
            i -> {
              String id = "Variables-" + UUID.randomUUID();
              String sealed =
                  barrier.seal(EncryptedFieldCatalogue.SENSITIVE_VARIABLE, id, randomSecret());
              return new Row(i, id, sealed);
            })
        .toArray(Row[]::new);
  }

  private static String randomSecret() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] chars = new char[VALUE_LENGTH];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(chars);
  }

  static Counts count(DataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      return new Counts(
          one(s, "SELECT COUNT(*) FROM variables WHERE is_sensitive"),
          one(
              s,
              "SELECT COUNT(*) FROM variables WHERE is_sensitive AND sensitive_value IS NOT NULL"),
          one(
              s,
              "SELECT COUNT(*) FROM cleared_values WHERE table_name = 'variables'"
                  + " AND column_name = 'sensitive_value'"));
    }
  }

  static long one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Told how many projects are written so far. */
  interface Progress {
    void done(long projects);
  }
}
