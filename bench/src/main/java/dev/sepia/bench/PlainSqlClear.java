package dev.sepia.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The floor any recovery must pay: the same end state for sensitive variables as {@code
 * lost-master-key} reaches (every value NULL, one {@code cleared_values} row each, with owner label
 * and link), written by the database alone in one transaction: one INSERT … SELECT and one UPDATE,
 * with no value read into Java, none opened, no batches and no report.
 */
final class PlainSqlClear {
  private PlainSqlClear() {}

  /** What the two statements touched. */
  record Result(long listed, long cleared, long nanos) {}

  static Result run(DataSource db) throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      long start = System.nanoTime();
      String recoveryId = "Recoveries-" + UUID.randomUUID();
      Timestamp now = Timestamp.from(Instant.now());
      try (PreparedStatement recovery =
              c.prepareStatement(
                  "INSERT INTO recoveries (id, started_at, started_by, new_key_id)"
                      + " VALUES (?, ?, 'bench', 'bench')");
          PreparedStatement list =
              c.prepareStatement(
                  "INSERT INTO cleared_values (recovery_id, table_name, column_name, row_id,"
                      + " owner_kind, owner_label, link, cleared_at)"
                      + " SELECT ?, 'variables', 'sensitive_value', v.id, 'Sensitive variable',"
                      + " 'Sensitive variable ' || v.name || ' of project ' || p.name || ': value',"
                      + " '/projects/' || p.id || '/variables', ?"
                      + " FROM variables v JOIN projects p ON p.id = v.owner_id"
                      + " WHERE v.is_sensitive AND v.sensitive_value IS NOT NULL");
          PreparedStatement clear =
              c.prepareStatement(
                  "UPDATE variables SET sensitive_value = NULL"
                      + " WHERE is_sensitive AND sensitive_value IS NOT NULL")) {
        recovery.setString(1, recoveryId);
        recovery.setTimestamp(2, now);
        recovery.executeUpdate();
        list.setString(1, recoveryId);
        list.setTimestamp(2, now);
        long listed = list.executeUpdate();
        long cleared = clear.executeUpdate();
        c.commit();
        return new Result(listed, cleared, System.nanoTime() - start);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
