package dev.sepia.server.model.environments;

import dev.sepia.server.store.NamedPages;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Environments in the database. Methods taking a {@link Handle} run in the caller's transaction;
 * the others open their own.
 */
public final class EnvironmentStore {
  private static final String COLUMNS = "id, name, description, sort_order";
  private static final String ORDER = " ORDER BY sort_order, name";

  private static final RowMapper<Environment> ENVIRONMENT =
      (rs, ctx) ->
          new Environment(
              rs.getString("id"),
              rs.getString("name"),
              rs.getString("description"),
              rs.getInt("sort_order"));

  private final Jdbi jdbi;

  public EnvironmentStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** What a caller may set; a null sort order means "after the others" (insert) or "keep". */
  public record EnvironmentSpec(String name, String description, Integer sortOrder) {}

  public record Page(List<Environment> items, int totalResults) {}

  public Optional<Environment> find(String id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  public static Optional<Environment> find(Handle h, String id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM environments WHERE id = :id")
        .bind("id", id)
        .map(ENVIRONMENT)
        .findOne();
  }

  /** Case-insensitive, as names are unique regardless of case. */
  public Optional<Environment> findByName(String name) {
    return jdbi.withHandle(h -> findByName(h, name));
  }

  public static Optional<Environment> findByName(Handle h, String name) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM environments WHERE LOWER(name) = LOWER(:name)")
        .bind("name", name)
        .map(ENVIRONMENT)
        .findOne();
  }

  /** Every environment, in sort order (then by name). */
  public List<Environment> listAll() {
    return jdbi.withHandle(EnvironmentStore::listAll);
  }

  public static List<Environment> listAll(Handle h) {
    return h.createQuery("SELECT " + COLUMNS + " FROM environments" + ORDER)
        .map(ENVIRONMENT)
        .list();
  }

  /** A page of environments whose names contain the filter (any case), in sort order. */
  public Page list(String nameFilter, int skip, int take) {
    NamedPages.Result<Environment> result =
        NamedPages.find(
            jdbi,
            "environments",
            COLUMNS,
            "name",
            "sort_order, name",
            ENVIRONMENT,
            nameFilter,
            skip,
            take);
    return new Page(result.items(), result.totalResults());
  }

  public static String insert(Handle h, EnvironmentSpec spec) {
    String id = "Environments-" + UUID.randomUUID();
    int sortOrder = spec.sortOrder() != null ? spec.sortOrder() : nextSortOrder(h);
    Instant now = Instant.now();
    h.createUpdate(
            "INSERT INTO environments (id, name, description, sort_order, created_at, updated_at)"
                + " VALUES (:id, :name, :description, :sortOrder, :now, :now)")
        .bind("id", id)
        .bind("name", spec.name())
        .bind("description", spec.description())
        .bind("sortOrder", sortOrder)
        .bind("now", now)
        .execute();
    return id;
  }

  public static void update(Handle h, String id, EnvironmentSpec spec) {
    h.createUpdate(
            "UPDATE environments SET name = :name, description = :description, sort_order ="
                + " COALESCE(:sortOrder, sort_order), updated_at = :now WHERE id = :id")
        .bind("id", id)
        .bind("name", spec.name())
        .bind("description", spec.description())
        .bind("sortOrder", spec.sortOrder())
        .bind("now", Instant.now())
        .execute();
  }

  public static void delete(Handle h, String id) {
    h.createUpdate("DELETE FROM environments WHERE id = :id").bind("id", id).execute();
  }

  private static int nextSortOrder(Handle h) {
    return h.createQuery("SELECT COALESCE(MAX(sort_order), -1) + 1 FROM environments")
        .mapTo(Integer.class)
        .one();
  }
}
