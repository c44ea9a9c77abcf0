package dev.sepia.server.model.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.server.store.Database;
import dev.sepia.server.store.catalogue.EncryptedField;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Leaves a database as {@code sepia-server lost-master-key} would: a run in {@code recoveries},
 * catalogued columns emptied, and a {@code cleared_values} entry for each. Also marks targets as
 * refusing the server's certificate, as a health check after the recovery would.
 */
public final class SimulatedRecovery implements AutoCloseable {
  private final Database db;

  private SimulatedRecovery(Database db) {
    this.db = db;
  }

  public static SimulatedRecovery open(String connectionString) {
    return new SimulatedRecovery(Database.open(connectionString, false));
  }

  /** Records a run and returns its id; {@code completed} false leaves it unfinished. */
  public String run(Instant startedAt, String thumbprint, String reportPath, boolean completed) {
    String id = "Recoveries-" + UUID.randomUUID();
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO recoveries (id, started_at, completed_at, started_by,"
                            + " new_key_id, new_thumbprint, cleared_count, report_path) VALUES"
                            + " (:id, :started, :completed, 'root', 'a1b2c3d4', :thumbprint, 0,"
                            + " :report)")
                    .bind("id", id)
                    .bind("started", startedAt)
                    .bind("completed", completed ? startedAt.plusSeconds(42) : null)
                    .bind("thumbprint", thumbprint)
                    .bind("report", reportPath)
                    .execute());
    return id;
  }

  /** Empties one catalogued value and lists it as cleared by the run. */
  public void clear(
      String recoveryId, EncryptedField field, String rowId, String ownerLabel, String link) {
    db.jdbi()
        .useTransaction(
            h -> {
              int emptied =
                  h.createUpdate(
                          "UPDATE "
                              + field.table()
                              + " SET "
                              + field.column()
                              + " = NULL WHERE "
                              + field.idColumn()
                              + " = :id")
                      .bind("id", rowId)
                      .execute();
              assertThat(emptied).as("rows of " + field + " with id " + rowId).isEqualTo(1);
              insertEntry(
                  h,
                  recoveryId,
                  field.table(),
                  field.column(),
                  rowId,
                  field.ownerKind(),
                  ownerLabel,
                  link);
              h.createUpdate(
                      "UPDATE recoveries SET cleared_count = cleared_count + 1 WHERE id = :id")
                  .bind("id", recoveryId)
                  .execute();
            });
  }

  /** Adds an entry without touching the named column (for entries that name odd places). */
  public void entry(
      String recoveryId,
      String table,
      String column,
      String rowId,
      String kind,
      String ownerLabel,
      String link) {
    db.jdbi()
        .useHandle(h -> insertEntry(h, recoveryId, table, column, rowId, kind, ownerLabel, link));
  }

  private static void insertEntry(
      Handle h,
      String recoveryId,
      String table,
      String column,
      String rowId,
      String kind,
      String ownerLabel,
      String link) {
    h.createUpdate(
            "INSERT INTO cleared_values (recovery_id, table_name, column_name, row_id,"
                + " owner_kind, owner_label, link, cleared_at) VALUES (:recovery, :table,"
                + " :column, :row, :kind, :label, :link, :at)")
        .bind("recovery", recoveryId)
        .bind("table", table)
        .bind("column", column)
        .bind("row", rowId)
        .bind("kind", kind)
        .bind("label", ownerLabel)
        .bind("link", link)
        .bind("at", Instant.now())
        .execute();
  }

  /** Records that the target's last health check was refused by its Tentacle. */
  public void refusesServerCertificate(String machineId) {
    db.jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "UPDATE machines SET connectivity = 'RefusesServerCertificate',"
                            + " health_status = 'Unavailable', health_reason = 'The Tentacle"
                            + " refused this server''s certificate.' WHERE id = :id")
                    .bind("id", machineId)
                    .execute());
  }

  /** Runs a statement on the database, for a test's own arrangements. */
  public void execute(String sql) {
    db.jdbi().useHandle(h -> h.execute(sql));
  }

  @Override
  public void close() {
    db.close();
  }
}
