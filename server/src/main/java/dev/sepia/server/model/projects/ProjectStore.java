package dev.sepia.server.model.projects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.server.model.variables.VariableStore;
import dev.sepia.server.store.NamedPages;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Projects in the database. Methods taking a {@link Handle} run in the caller's transaction; the
 * others open their own.
 */
public final class ProjectStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String COLUMNS = "id, name, description, lifecycle_id, library_set_ids";

  private static final RowMapper<Project> PROJECT =
      (rs, ctx) ->
          new Project(
              rs.getString("id"),
              rs.getString("name"),
              rs.getString("description"),
              rs.getString("lifecycle_id"),
              fromJson(rs.getString("library_set_ids")));

  private final Jdbi jdbi;

  public ProjectStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** What a caller may set on a project. */
  public record ProjectSpec(
      String name, String description, String lifecycleId, List<String> libraryVariableSetIds) {}

  public record Page(List<Project> items, int totalResults) {}

  public Optional<Project> find(String id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  public static Optional<Project> find(Handle h, String id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM projects WHERE id = :id")
        .bind("id", id)
        .map(PROJECT)
        .findOne();
  }

  /** Case-insensitive, as names are unique regardless of case. */
  public Optional<Project> findByName(String name) {
    return jdbi.withHandle(h -> findByName(h, name));
  }

  public static Optional<Project> findByName(Handle h, String name) {
    return h.createQuery("SELECT " + COLUMNS + " FROM projects WHERE LOWER(name) = LOWER(:name)")
        .bind("name", name)
        .map(PROJECT)
        .findOne();
  }

  public static List<Project> listAll(Handle h) {
    return h.createQuery("SELECT " + COLUMNS + " FROM projects ORDER BY name").map(PROJECT).list();
  }

  public Page list(String nameFilter, int skip, int take) {
    NamedPages.Result<Project> result =
        NamedPages.find(jdbi, "projects", COLUMNS, "name", "name", PROJECT, nameFilter, skip, take);
    return new Page(result.items(), result.totalResults());
  }

  /** Names of the projects that follow this lifecycle. */
  public static List<String> namesUsingLifecycle(Handle h, String lifecycleId) {
    return h.createQuery("SELECT name FROM projects WHERE lifecycle_id = :id ORDER BY name")
        .bind("id", lifecycleId)
        .mapTo(String.class)
        .list();
  }

  /** Names of the projects that include this library variable set. */
  public static List<String> namesUsingLibrarySet(Handle h, String libraryVariableSetId) {
    return listAll(h).stream()
        .filter(p -> p.libraryVariableSetIds().contains(libraryVariableSetId))
        .map(Project::name)
        .toList();
  }

  public static String insert(Handle h, ProjectSpec spec) {
    String id = "Projects-" + UUID.randomUUID();
    Instant now = Instant.now();
    h.createUpdate(
            "INSERT INTO projects (id, name, description, lifecycle_id, library_set_ids,"
                + " created_at, updated_at) VALUES (:id, :name, :description, :lifecycle, :sets,"
                + " :now, :now)")
        .bind("id", id)
        .bind("name", spec.name())
        .bind("description", spec.description())
        .bind("lifecycle", spec.lifecycleId())
        .bind("sets", toJson(spec.libraryVariableSetIds()))
        .bind("now", now)
        .execute();
    return id;
  }

  public static void update(Handle h, String id, ProjectSpec spec) {
    h.createUpdate(
            "UPDATE projects SET name = :name, description = :description, lifecycle_id ="
                + " :lifecycle, library_set_ids = :sets, updated_at = :now WHERE id = :id")
        .bind("id", id)
        .bind("name", spec.name())
        .bind("description", spec.description())
        .bind("lifecycle", spec.lifecycleId())
        .bind("sets", toJson(spec.libraryVariableSetIds()))
        .bind("now", Instant.now())
        .execute();
  }

  /**
   * Deletes the project with its process, releases and deployments (by cascade) and its variables
   * (which have no foreign key, as their owner may be a project or a library set).
   */
  public static void delete(Handle h, String id) {
    VariableStore.deleteOwner(h, id);
    h.createUpdate("DELETE FROM projects WHERE id = :id").bind("id", id).execute();
  }

  private static String toJson(List<String> values) {
    try {
      return JSON.writeValueAsString(values == null ? List.of() : values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> fromJson(String json) {
    try {
      return json == null ? List.of() : JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored list is not JSON", e);
    }
  }
}
