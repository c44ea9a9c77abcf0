package dev.sepia.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh, empty databases for store tests: an H2 file in a temporary folder, or a new database on a
 * real PostgreSQL server (embedded, started once per test JVM and stopped at exit).
 */
public final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private TestDatabases() {}

  public static String emptyDatabase(DatabaseKind kind, Path tempDir) {
    int n = COUNTER.incrementAndGet();
    return switch (kind) {
      case H2 -> "jdbc:h2:file:" + tempDir.resolve("db" + n).resolve("sepia");
      case POSTGRESQL -> {
        EmbeddedPostgres pg = postgres();
        String name = "sepia_test_" + ProcessHandle.current().pid() + "_" + n;
        try (Connection c = pg.getPostgresDatabase().getConnection();
            Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
        yield "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name + "?user=postgres";
      }
    };
  }

  public static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (IOException ignored) {
                      // The JVM is exiting; the temporary cluster goes with it.
                    }
                  }));
    }
    return postgres;
  }
}
