package dev.sepia.server.model.recovery;

import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads what recoveries left to re-enter. An entry of {@code cleared_values} is still to re-enter
 * while its catalogued column is NULL in its row; that is checked live, so setting the value again
 * (through any route) ends the entry with no bookkeeping, and so does deleting the row. Only the
 * catalogue's table and column names ever reach the SQL: an entry naming anything else is never
 * listed.
 */
public final class ClearedValueStore {
  private static final String STILL_CLEARED = stillClearedCondition();

  private static final RowMapper<ClearedValue> VALUE =
      (rs, ctx) ->
          new ClearedValue(
              rs.getLong("id"),
              rs.getString("owner_kind"),
              rs.getString("owner_label"),
              rs.getString("link"),
              instant(rs, "cleared_at"),
              rs.getString("recovery_id"));

  private static final RowMapper<RecoveryRun> RUN =
      (rs, ctx) ->
          new RecoveryRun(
              rs.getString("id"),
              instant(rs, "started_at"),
              instant(rs, "completed_at"),
              rs.getString("started_by"),
              rs.getString("new_thumbprint"),
              rs.getLong("cleared_count"),
              rs.getString("report_path"));

  private final Jdbi jdbi;

  public ClearedValueStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * One page of the values to re-enter, by kind, then owner.
   *
   * @param kind only this kind (whole value, any case), or null for all
   * @param countsByKind how many of each kind are left, whatever {@code kind} says
   */
  public record Page(
      List<ClearedValue> items, int totalResults, Map<String, Integer> countsByKind) {}

  public Page toReEnter(String kind, int skip, int take) {
    return jdbi.withHandle(
        h -> {
          String kindFilter = kind == null ? "" : " AND LOWER(cv.owner_kind) = :kind";
          Query query =
              h.createQuery(
                  "SELECT cv.id, cv.recovery_id, cv.owner_kind, cv.owner_label, cv.link,"
                      + " cv.cleared_at FROM cleared_values cv WHERE "
                      + STILL_CLEARED
                      + kindFilter
                      + " ORDER BY cv.owner_kind, cv.owner_label, cv.id LIMIT :take OFFSET :skip");
          bindKind(query, kind);
          List<ClearedValue> items = query.bind("take", take).bind("skip", skip).map(VALUE).list();
          Map<String, Integer> counts = countsByKind(h);
          int total =
              kind == null
                  ? counts.values().stream().mapToInt(Integer::intValue).sum()
                  : counts.entrySet().stream()
                      .filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(normal(kind)))
                      .mapToInt(Map.Entry::getValue)
                      .sum();
          return new Page(items, total, counts);
        });
  }

  /** Every value still to re-enter, grouped by kind (kinds in alphabetical order). */
  public Map<String, List<ClearedValue>> toReEnterByKind() {
    return jdbi.withHandle(
        h ->
            h
                .createQuery(
                    "SELECT cv.id, cv.recovery_id, cv.owner_kind, cv.owner_label, cv.link,"
                        + " cv.cleared_at FROM cleared_values cv WHERE "
                        + STILL_CLEARED
                        + " ORDER BY cv.owner_kind, cv.owner_label, cv.id")
                .map(VALUE)
                .stream()
                .collect(
                    Collectors.groupingBy(ClearedValue::kind, TreeMap::new, Collectors.toList())));
  }

  /** How many values are still to re-enter. */
  public int countToReEnter() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM cleared_values cv WHERE " + STILL_CLEARED)
                .mapTo(Integer.class)
                .one());
  }

  /** Every run of lost-master-key, newest first. */
  public List<RecoveryRun> runs() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, started_at, completed_at, started_by, new_thumbprint,"
                        + " cleared_count, report_path FROM recoveries ORDER BY started_at DESC,"
                        + " id DESC")
                .map(RUN)
                .list());
  }

  /** The newest run, if the server was ever recovered. */
  public Optional<RecoveryRun> latest() {
    return runs().stream().findFirst();
  }

  private static Map<String, Integer> countsByKind(Handle h) {
    Map<String, Integer> counts = new TreeMap<>();
    h.createQuery(
            "SELECT cv.owner_kind, COUNT(*) AS n FROM cleared_values cv WHERE "
                + STILL_CLEARED
                + " GROUP BY cv.owner_kind")
        .map((rs, ctx) -> Map.entry(rs.getString("owner_kind"), rs.getInt("n")))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  private static void bindKind(Query query, String kind) {
    if (kind != null) {
      query.bind("kind", normal(kind));
    }
  }

  private static String normal(String kind) {
    return kind.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * "The entry's catalogued column is NULL in its row", one alternative per catalogued field. The
   * names come from the catalogue's constants, never from the table being read.
   */
  private static String stillClearedCondition() {
    return EncryptedFieldCatalogue.all().stream()
        // A release's frozen values cannot be entered again: a new release takes the project's
        // current ones. The recovery report lists the releases affected.
        .filter(f -> f != EncryptedFieldCatalogue.RELEASE_SENSITIVE_VALUE)
        .map(ClearedValueStore::stillCleared)
        .collect(Collectors.joining(" OR ", "(", ")"));
  }

  private static String stillCleared(EncryptedField f) {
    return "(LOWER(cv.table_name) = '"
        + f.table()
        + "' AND LOWER(cv.column_name) = '"
        + f.column()
        + "' AND EXISTS (SELECT 1 FROM "
        + f.table()
        + " t WHERE t."
        + f.idColumn()
        + " = cv.row_id AND t."
        + f.column()
        + " IS NULL))";
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp at = rs.getTimestamp(column);
    return at == null ? null : at.toInstant();
  }
}
