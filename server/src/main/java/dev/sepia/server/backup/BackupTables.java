package dev.sepia.server.backup;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which tables a backup carries, and the order in which they are loaded: every table of the schema
 * except those that describe the installation rather than its data. Tables are found in the
 * database, not listed here, so a table a later migration adds is backed up without a change here.
 */
final class BackupTables {
  /**
   * Left out on purpose, with the reason:
   *
   * <ul>
   *   <li>{@code sepia_schema_history}: Flyway's own record of migrations. A restore rebuilds it by
   *       running the migrations, up to the backup's schema version and then to the latest.
   *   <li>{@code server_nodes}: the server processes running on the source database. They are not
   *       running on the restored one; copied rows would make destructive commands believe a server
   *       is live there.
   *   <li>{@code user_sessions}: who is signed in to the web UI right now (hashed cookie tokens
   *       that expire within hours). A restore is a fresh start: people sign in again, and sessions
   *       signed out after the backup cannot come back to life.
   * </ul>
   *
   * Everything else is data and is kept, including: {@code api_keys} (stored only as hashes, and
   * automation depends on them), {@code events} (the audit log is history an operator must keep),
   * {@code server_tasks} (task history; their logs are in the archive's files), {@code recoveries}
   * and {@code cleared_values} (the list of values still to enter again after a lost key) and
   * {@code sepia_metadata} (the master key verifier and the database's identity).
   */
  static final Set<String> EXCLUDED =
      Set.of("sepia_schema_history", "server_nodes", "user_sessions");

  /** The table holding the master key verifier, which a restore writes last. */
  static final String METADATA = "sepia_metadata";

  private BackupTables() {}

  /** The tables to back up, lower-case, parents before children. */
  static List<String> toBackUp(Connection c) throws SQLException {
    Map<String, String> actualNames = allTables(c);
    actualNames.keySet().removeAll(EXCLUDED);
    return parentsFirst(c, actualNames);
  }

  /** Every base table of the current schema: lower-case name → name as the database spells it. */
  static Map<String, String> allTables(Connection c) throws SQLException {
    Map<String, String> names = new TreeMap<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = CURRENT_SCHEMA AND table_type = 'BASE TABLE'");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String actual = rs.getString(1);
        names.put(actual.toLowerCase(Locale.ROOT), actual);
      }
    }
    return names;
  }

  /**
   * Orders tables so that a table comes after every table its foreign keys point to (ties in name
   * order, so the order is stable). The schema has no cycles; a cycle would be a programming error.
   */
  static List<String> parentsFirst(Connection c, Map<String, String> actualNames)
      throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    Map<String, Set<String>> parents = new LinkedHashMap<>();
    for (Map.Entry<String, String> table : actualNames.entrySet()) {
      Set<String> of = new LinkedHashSet<>();
      try (ResultSet rs = meta.getImportedKeys(c.getCatalog(), c.getSchema(), table.getValue())) {
        while (rs.next()) {
          String parent = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
          if (!parent.equals(table.getKey()) && actualNames.containsKey(parent)) {
            of.add(parent);
          }
        }
      }
      parents.put(table.getKey(), of);
    }
    List<String> ordered = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    while (ordered.size() < parents.size()) {
      boolean progress = false;
      for (Map.Entry<String, Set<String>> table : parents.entrySet()) {
        if (!placed.contains(table.getKey()) && placed.containsAll(table.getValue())) {
          ordered.add(table.getKey());
          placed.add(table.getKey());
          progress = true;
        }
      }
      if (!progress) {
        throw new IllegalStateException("Foreign keys form a cycle among " + parents.keySet());
      }
    }
    return ordered;
  }
}
