package dev.sepia.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * Where a benchmark keeps its Sepia database: an H2 file in a temporary folder, or a database on an
 * embedded PostgreSQL cluster (its own process, so it is outside this JVM's heap). Either can make
 * an identical copy of the filled database, so that two ways of clearing it start from the same
 * rows.
 */
abstract sealed class BenchDatabase implements AutoCloseable {
  /** The JDBC connection string of the main database. */
  abstract String connectionString();

  /**
   * A copy of the main database as it is now, under {@code name}; its connection string. Nothing
   * may have the main database open.
   */
  abstract String copy(String name);

  abstract String describe();

  static BenchDatabase h2(Path folder) {
    return new H2(folder);
  }

  static BenchDatabase postgres() {
    try {
      return new Postgres(EmbeddedPostgres.builder().start());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
    }
  }

  @Override
  public void close() {}

  /** H2 file; {@code AUTO_SERVER=FALSE}: only this JVM uses it, and it opens no TCP listener. */
  private static final class H2 extends BenchDatabase {
    private final Path folder;

    H2(Path folder) {
      this.folder = folder;
    }

    @Override
    String connectionString() {
      return url("sepia");
    }

    private String url(String name) {
      return "jdbc:h2:file:" + folder.resolve(name).resolve("sepia") + ";AUTO_SERVER=FALSE";
    }

    @Override
    String copy(String name) {
      Path from = folder.resolve("sepia");
      Path to = folder.resolve(name);
      try (Stream<Path> files = Files.list(from)) {
        Files.createDirectories(to);
        for (Path file : files.toList()) {
          Files.copy(file, to.resolve(file.getFileName()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Could not copy the H2 database " + from, e);
      }
      return url(name);
    }

    @Override
    String describe() {
      return "H2 file in " + folder;
    }
  }

  /** A database of an embedded PostgreSQL cluster; the copy is made with CREATE … TEMPLATE. */
  private static final class Postgres extends BenchDatabase {
    private final EmbeddedPostgres cluster;

    Postgres(EmbeddedPostgres cluster) {
      this.cluster = cluster;
    }

    @Override
    String connectionString() {
      return url("sepia");
    }

    private String url(String name) {
      return "jdbc:postgresql://localhost:" + cluster.getPort() + "/" + name + "?user=postgres";
    }

    @Override
    String copy(String name) {
      try (Connection c = cluster.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name + " TEMPLATE sepia");
      } catch (SQLException e) {
        throw new IllegalStateException("Could not copy the PostgreSQL database: " + e, e);
      }
      return url(name);
    }

    @Override
    String describe() {
      return "embedded PostgreSQL on port " + cluster.getPort();
    }

    @Override
    public void close() {
      try {
        cluster.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
