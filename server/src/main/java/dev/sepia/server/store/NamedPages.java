package dev.sepia.server.store;

import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The query behind every list endpoint: one page of a table's rows whose name contains a filter
 * (ignoring case), and how many rows match in all.
 */
public final class NamedPages {
  private NamedPages() {}

  /** One page of rows and the number of all matching rows. */
  public record Result<T>(List<T> items, int totalResults) {}

  /**
   * @param table a table name from code, never from a request
   * @param columns the columns the mapper reads
   * @param nameColumn the column the filter looks in
   * @param orderBy the ORDER BY clause's terms, e.g. "name"
   * @param nameFilter part of the name to look for, or null for every row
   */
  public static <T> Result<T> find(
      Jdbi jdbi,
      String table,
      String columns,
      String nameColumn,
      String orderBy,
      RowMapper<T> mapper,
      String nameFilter,
      int skip,
      int take) {
    String where = nameFilter == null ? "" : " WHERE LOWER(" + nameColumn + ") LIKE :pattern";
    String pattern = nameFilter == null ? null : "%" + nameFilter.toLowerCase(Locale.ROOT) + "%";
    return jdbi.withHandle(
        h -> {
          var count = h.createQuery("SELECT COUNT(*) FROM " + table + where);
          var query =
              h.createQuery(
                  "SELECT "
                      + columns
                      + " FROM "
                      + table
                      + where
                      + " ORDER BY "
                      + orderBy
                      + " LIMIT :take OFFSET :skip");
          if (pattern != null) {
            count.bind("pattern", pattern);
            query.bind("pattern", pattern);
          }
          int total = count.mapTo(Integer.class).one();
          return new Result<>(
              query.bind("take", take).bind("skip", skip).map(mapper).list(), total);
        });
  }
}
