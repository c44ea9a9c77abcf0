package dev.sepia.server.model.variables;

import dev.sepia.server.store.NamedPages;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Library variable sets in the database (their variables are in {@link VariableStore}). Methods
 * taking a {@link Handle} run in the caller's transaction; the others open their own.
 */
public final class LibraryVariableSetStore {
  private static final String COLUMNS = "id, name, description";

  private static final RowMapper<LibraryVariableSet> SET =
      (rs, ctx) ->
          new LibraryVariableSet(
              rs.getString("id"), rs.getString("name"), rs.getString("description"));

  private final Jdbi jdbi;

  public LibraryVariableSetStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public record Page(List<LibraryVariableSet> items, int totalResults) {}

  public Optional<LibraryVariableSet> find(String id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  public static Optional<LibraryVariableSet> find(Handle h, String id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM library_variable_sets WHERE id = :id")
        .bind("id", id)
        .map(SET)
        .findOne();
  }

  public static Optional<LibraryVariableSet> findByName(Handle h, String name) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM library_variable_sets WHERE LOWER(name) = LOWER(:name)")
        .bind("name", name)
        .map(SET)
        .findOne();
  }

  public static List<LibraryVariableSet> listAll(Handle h) {
    return h.createQuery("SELECT " + COLUMNS + " FROM library_variable_sets ORDER BY name")
        .map(SET)
        .list();
  }

  public Page list(String nameFilter, int skip, int take) {
    NamedPages.Result<LibraryVariableSet> result =
        NamedPages.find(
            jdbi, "library_variable_sets", COLUMNS, "name", "name", SET, nameFilter, skip, take);
    return new Page(result.items(), result.totalResults());
  }

  public static String insert(Handle h, String name, String description) {
    String id = "LibraryVariableSets-" + UUID.randomUUID();
    Instant now = Instant.now();
    h.createUpdate(
            "INSERT INTO library_variable_sets (id, name, description, created_at, updated_at)"
                + " VALUES (:id, :name, :description, :now, :now)")
        .bind("id", id)
        .bind("name", name)
        .bind("description", description)
        .bind("now", now)
        .execute();
    return id;
  }

  public static void update(Handle h, String id, String name, String description) {
    h.createUpdate(
            "UPDATE library_variable_sets SET name = :name, description = :description,"
                + " updated_at = :now WHERE id = :id")
        .bind("id", id)
        .bind("name", name)
        .bind("description", description)
        .bind("now", Instant.now())
        .execute();
  }

  /** Deletes the set and its variables (which have no foreign key to it). */
  public static void delete(Handle h, String id) {
    VariableStore.deleteOwner(h, id);
    h.createUpdate("DELETE FROM library_variable_sets WHERE id = :id").bind("id", id).execute();
  }
}
