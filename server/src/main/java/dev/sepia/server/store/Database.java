package dev.sepia.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.SecretMasking;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * An open connection pool to a Sepia database. Close it when done: the pool holds connections (and,
 * for H2, the database file lock) until then.
 */
public final class Database implements AutoCloseable {
  private final DatabaseKind kind;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  private Database(DatabaseKind kind, HikariDataSource dataSource) {
    this.kind = kind;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
  }

  /**
   * Opens the database. With {@code createIfMissing} false an H2 file that does not exist is an
   * error rather than silently created; with it true a missing PostgreSQL database is created on
   * its server.
   */
  public static Database open(String connectionString, boolean createIfMissing) {
    DatabaseKind kind = DatabaseKind.of(connectionString);
    String url = connectionString;
    if (kind == DatabaseKind.H2) {
      url = h2Url(url, createIfMissing);
    }
    if (kind == DatabaseKind.POSTGRESQL && createIfMissing) {
      createPostgresDatabaseIfMissing(url);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName("sepia-db");
    config.setMaximumPoolSize(10);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    // Fail here, with the real cause, rather than on first use.
    config.setInitializationFailTimeout(1);
    try {
      return new Database(kind, new HikariDataSource(config));
    } catch (RuntimeException e) {
      throw new OperatorException(
          "Could not connect to the database "
              + SecretMasking.maskConnectionString(connectionString)
              + ": "
              + rootMessage(e)
              + hint(kind, createIfMissing, rootMessage(e)));
    }
  }

  /**
   * Adds what Sepia needs to an H2 URL: {@code AUTO_SERVER} so that commands such as {@code admin}
   * or {@code show-thumbprint} can open the database while the server runs (the first process
   * serves it to the others over loopback), and {@code IFEXISTS} so that a mistyped path is an
   * error instead of a new, empty database.
   */
  static String h2Url(String url, boolean createIfMissing) {
    String upper = url.toUpperCase(java.util.Locale.ROOT);
    StringBuilder out = new StringBuilder(url);
    if (!upper.contains("AUTO_SERVER=")) {
      out.append(";AUTO_SERVER=TRUE");
    }
    if (!createIfMissing && !upper.contains("IFEXISTS=")) {
      out.append(";IFEXISTS=TRUE");
    }
    return out.toString();
  }

  public DatabaseKind kind() {
    return kind;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private static String hint(DatabaseKind kind, boolean createIfMissing, String cause) {
    if (kind == DatabaseKind.H2 && cause.contains("locked")) {
      return ". Another program holds the database file open; stop it, or wait for it to finish.";
    }
    if (kind == DatabaseKind.H2 && !createIfMissing) {
      return ". If this is a new database, add --create to build it.";
    }
    return ". Check the host, port, database name, user and password in the connection string.";
  }

  private static final Pattern PG_DATABASE =
      Pattern.compile("^(jdbc:postgresql://[^/]*/)([^?;]+)(.*)$");

  /** PostgreSQL has no "create on connect"; connect to its maintenance database to create ours. */
  private static void createPostgresDatabaseIfMissing(String url) {
    Matcher m = PG_DATABASE.matcher(url);
    if (!m.matches()) {
      return;
    }
    try {
      DriverManager.getConnection(url).close();
      return;
    } catch (SQLException e) {
      if (!"3D000".equals(e.getSQLState())) {
        return; // Let the pool report the real problem.
      }
    }
    String name = m.group(2);
    if (!name.matches("[A-Za-z0-9_\\-]+")) {
      throw new OperatorException(
          "The PostgreSQL database '"
              + name
              + "' does not exist, and its name has characters Sepia will not put in CREATE"
              + " DATABASE. Create it yourself, then run this command again.");
    }
    try (Connection c = DriverManager.getConnection(m.group(1) + "postgres" + m.group(3));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new OperatorException(
          "The PostgreSQL database '"
              + name
              + "' does not exist and could not be created: "
              + e.getMessage()
              + ". Create it yourself (CREATE DATABASE "
              + name
              + "), or grant the user CREATEDB, then run this command again.");
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    // Drivers sometimes echo the URL; never let a password through.
    return SecretMasking.maskConnectionString(message.lines().findFirst().orElse(message));
  }
}
