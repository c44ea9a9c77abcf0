package dev.sepia.server.store;

import dev.sepia.platform.cli.OperatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/** The Sepia schema, managed by Flyway migrations under {@code db/migration}. */
public final class Schema {
  private final Flyway flyway;

  public Schema(Database database) {
    this.flyway =
        Flyway.configure(Schema.class.getClassLoader())
            .dataSource(database.dataSource())
            .locations("classpath:db/migration")
            .table("sepia_schema_history")
            .load();
  }

  /** Builds or upgrades the schema to this version of Sepia. */
  public int migrate() {
    return flyway.migrate().migrationsExecuted;
  }

  /**
   * Builds or upgrades the schema to {@code version} and no further: a restore loads a backup's
   * rows into the schema they were taken from, then upgrades.
   */
  public int migrateTo(String version) {
    return Flyway.configure(Schema.class.getClassLoader())
        .configuration(flyway.getConfiguration())
        .target(version)
        .load()
        .migrate()
        .migrationsExecuted;
  }

  /**
   * The schema versions this Sepia's migrations define, oldest first. Flyway lists migrations only
   * against a database, so a private in-memory one stands in: no database of the caller's is
   * touched.
   */
  public static List<String> knownVersions() {
    Flyway flyway =
        Flyway.configure(Schema.class.getClassLoader())
            .dataSource("jdbc:h2:mem:sepia-known-versions-" + UUID.randomUUID(), "sa", "")
            .locations("classpath:db/migration")
            .load();
    List<String> versions = new ArrayList<>();
    for (MigrationInfo info : flyway.info().all()) {
      if (info.getVersion() != null) {
        versions.add(info.getVersion().getVersion());
      }
    }
    return versions;
  }

  /** Number of migrations this server has that the database has not applied yet. */
  public int pendingMigrations() {
    return flyway.info().pending().length;
  }

  /** A migration applied to the database that this server does not know: a newer Sepia ran. */
  public boolean isNewerThanThisServer() {
    for (MigrationInfo info : flyway.info().all()) {
      if (info.getState() == MigrationState.FUTURE_SUCCESS) {
        return true;
      }
    }
    return false;
  }

  public String currentVersion() {
    MigrationInfo current = flyway.info().current();
    return current == null ? "none" : current.getVersion().getVersion();
  }

  /** Refuses a database that a newer Sepia has already upgraded. */
  public void requireNotNewer() {
    if (isNewerThanThisServer()) {
      throw new OperatorException(
          "The database schema (version "
              + currentVersion()
              + ") was upgraded by a newer Sepia server. Run that version of Sepia, or restore a"
              + " backup taken before the upgrade.");
    }
  }

  /** Refuses to run against a schema this server cannot use, without changing anything. */
  public void requireCurrent(String instanceName) {
    requireNotNewer();
    int pending = pendingMigrations();
    if (pending > 0) {
      throw new OperatorException(
          "The database schema is older than this Sepia server ("
              + pending
              + " upgrade step(s) to apply). Back up the database, then run: sepia-server database"
              + " --instance "
              + instanceName
              + " --upgrade");
    }
  }
}
