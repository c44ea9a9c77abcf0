package dev.sepia.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A database a test points Sepia at, read directly over JDBC to prove what Sepia did or did not
 * change. An H2 file can only be read while no server process holds it.
 */
public record TestDatabase(Engine engine, String url) {

  /** Whether Sepia's schema is there (its metadata table exists). */
  public boolean hasSepiaSchema() {
    if (engine == Engine.H2 && !Files.exists(h2File())) {
      return false;
    }
    try (Connection c = connect();
        ResultSet tables = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (tables.next()) {
        if (tables.getString("TABLE_NAME").equalsIgnoreCase("sepia_metadata")) {
          return true;
        }
      }
      return false;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The H2 data file; for PostgreSQL, not applicable. */
  public Path h2File() {
    return Path.of(url.substring("jdbc:h2:file:".length()) + ".mv.db");
  }

  /** A value of {@code sepia_metadata}, e.g. {@code master_key_verifier}. */
  public Optional<String> metadata(String itemName) {
    List<List<String>> rows =
        rows("SELECT item_value FROM sepia_metadata WHERE item_name = '" + itemName + "'");
    return rows.stream().findFirst().map(row -> row.get(0));
  }

  /** The thumbprint of the certificate stored in the database. */
  public String storedThumbprint() {
    List<List<String>> rows = rows("SELECT thumbprint FROM server_certificate");
    if (rows.size() != 1) {
      throw new AssertionError("Expected one server certificate, found " + rows);
    }
    return rows.get(0).get(0);
  }

  public long count(String table) {
    return Long.parseLong(rows("SELECT COUNT(*) FROM " + table).get(0).get(0));
  }

  /** Every row of a table, every column as text, in a stable order: for before/after checks. */
  public List<List<String>> snapshot(String table) {
    return rows("SELECT * FROM " + table + " ORDER BY 1");
  }

  /** The result of a query, every column as text. */
  public List<List<String>> rows(String sql) {
    try (Connection c = connect();
        Statement statement = c.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.add(rs.getString(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run " + sql + " on " + url, e);
    }
  }

  private Connection connect() throws SQLException {
    // IFEXISTS: reading must never create an H2 database that Sepia did not. AUTO_SERVER: the
    // server opens H2 that way, so the test can read while it runs.
    return DriverManager.getConnection(
        engine == Engine.H2 ? url + ";IFEXISTS=TRUE;AUTO_SERVER=TRUE" : url);
  }
}
