package dev.sepia.server.recovery;

import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code recoveries} and {@code cleared_values} tables. */
public final class Recoveries {
  private final Jdbi jdbi;

  public Recoveries(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A recovery that started and has not completed. */
  public record Unfinished(String id, Instant startedAt, String newKeyId, long clearedCount) {}

  /** One value a recovery cleared, as the report lists it. */
  public record Cleared(
      long id,
      String table,
      String column,
      String rowId,
      String ownerKind,
      String ownerLabel,
      String link) {}

  /** The unfinished recovery, if any (the latest, should there ever be several). */
  public Optional<Unfinished> unfinished() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, started_at, new_key_id, cleared_count FROM recoveries"
                        + " WHERE completed_at IS NULL ORDER BY started_at DESC")
                .setMaxRows(1)
                .map(
                    (rs, ctx) ->
                        new Unfinished(
                            rs.getString("id"),
                            rs.getTimestamp("started_at").toInstant(),
                            rs.getString("new_key_id"),
                            rs.getLong("cleared_count")))
                .findFirst());
  }

  public String start(String startedBy, String newKeyId) {
    String id = "Recoveries-" + UUID.randomUUID();
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO recoveries (id, started_at, started_by, new_key_id)"
                        + " VALUES (:id, :at, :by, :key)")
                .bind("id", id)
                .bind("at", Instant.now())
                .bind("by", startedBy)
                .bind("key", newKeyId)
                .execute());
    return id;
  }

  /** An unfinished recovery continues with another key (its own was lost with the config). */
  public void changeKey(String id, String newKeyId) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE recoveries SET new_key_id = :key WHERE id = :id")
                .bind("key", newKeyId)
                .bind("id", id)
                .execute());
  }

  /** Records cleared values of one batch, replacing older entries for the same values. */
  static void recordCleared(
      Handle h, String recoveryId, EncryptedField field, List<Owner> owners, Instant at) {
    var forget =
        h.prepareBatch(
            "DELETE FROM cleared_values WHERE table_name = :t AND column_name = :c"
                + " AND row_id = :id");
    var insert =
        h.prepareBatch(
            "INSERT INTO cleared_values (recovery_id, table_name, column_name, row_id,"
                + " owner_kind, owner_label, link, cleared_at) VALUES (:recovery, :t, :c, :id,"
                + " :kind, :label, :link, :at)");
    for (Owner owner : owners) {
      forget.bind("t", field.table()).bind("c", field.column()).bind("id", owner.rowId()).add();
      insert
          .bind("recovery", recoveryId)
          .bind("t", field.table())
          .bind("c", field.column())
          .bind("id", owner.rowId())
          .bind("kind", field.ownerKind())
          .bind("label", field.label(owner.name()))
          .bind("link", owner.link())
          .bind("at", at)
          .add();
    }
    forget.execute();
    insert.execute();
    h.createUpdate("UPDATE recoveries SET cleared_count = cleared_count + :n WHERE id = :id")
        .bind("n", owners.size())
        .bind("id", recoveryId)
        .execute();
  }

  /** How many values this recovery cleared, per catalogued field, in catalogue order. */
  public Map<EncryptedField, Long> clearedPerField(String recoveryId) {
    Map<EncryptedField, Long> counts = new LinkedHashMap<>();
    EncryptedFieldCatalogue.all().forEach(f -> counts.put(f, 0L));
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT table_name, column_name, COUNT(*) AS n FROM cleared_values"
                        + " WHERE recovery_id = :id GROUP BY table_name, column_name")
                .bind("id", recoveryId)
                .map(
                    (rs, ctx) ->
                        Map.entry(
                            EncryptedFieldCatalogue.find(rs.getString(1), rs.getString(2)),
                            rs.getLong(3)))
                .forEach(e -> e.getKey().ifPresent(f -> counts.put(f, e.getValue()))));
    return counts;
  }

  /** Streams this recovery's cleared values, one field after the other, a page at a time. */
  public void forEachCleared(String recoveryId, EncryptedField field, Consumer<Cleared> action) {
    long after = -1;
    while (true) {
      long from = after;
      List<Cleared> page =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT id, table_name, column_name, row_id, owner_kind, owner_label,"
                              + " link FROM cleared_values WHERE recovery_id = :r"
                              + " AND table_name = :t AND column_name = :c AND id > :after"
                              + " ORDER BY id LIMIT 1000")
                      .bind("r", recoveryId)
                      .bind("t", field.table())
                      .bind("c", field.column())
                      .bind("after", from)
                      .map(
                          (rs, ctx) ->
                              new Cleared(
                                  rs.getLong("id"),
                                  rs.getString("table_name"),
                                  rs.getString("column_name"),
                                  rs.getString("row_id"),
                                  rs.getString("owner_kind"),
                                  rs.getString("owner_label"),
                                  rs.getString("link")))
                      .list());
      page.forEach(action);
      if (page.size() < 1000) {
        return;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  /** Marks the recovery completed, in the caller's transaction. */
  static void complete(
      Handle h, String recoveryId, String thumbprint, String reportPath, Instant at) {
    h.createUpdate(
            "UPDATE recoveries SET completed_at = :at, new_thumbprint = :thumbprint,"
                + " report_path = :report, cleared_count = (SELECT COUNT(*) FROM cleared_values"
                + " WHERE recovery_id = :id) WHERE id = :id")
        .bind("at", at)
        .bind("thumbprint", thumbprint)
        .bind("report", reportPath)
        .bind("id", recoveryId)
        .execute();
  }
}
