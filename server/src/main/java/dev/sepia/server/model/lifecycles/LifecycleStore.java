package dev.sepia.server.model.lifecycles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.store.NamedPages;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Lifecycles in the database. Methods taking a {@link Handle} run in the caller's transaction; the
 * others open their own.
 */
public final class LifecycleStore {
  /** Created by migration V4; it can be renamed but not deleted. */
  public static final String DEFAULT_ID = "Lifecycles-default";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<Phase>> PHASES = new TypeReference<>() {};
  private static final String COLUMNS = "id, name, description, is_default, phases";

  private static final RowMapper<Lifecycle> LIFECYCLE =
      (rs, ctx) ->
          new Lifecycle(
              rs.getString("id"),
              rs.getString("name"),
              rs.getString("description"),
              rs.getBoolean("is_default"),
              fromJson(rs.getString("phases")));

  private final Jdbi jdbi;

  public LifecycleStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** What a caller may set; phases null only for the default lifecycle. */
  public record LifecycleSpec(String name, String description, List<Phase> phases) {}

  public record Page(List<Lifecycle> items, int totalResults) {}

  public Optional<Lifecycle> find(String id) {
    return jdbi.withHandle(h -> find(h, id));
  }

  public static Optional<Lifecycle> find(Handle h, String id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM lifecycles WHERE id = :id")
        .bind("id", id)
        .map(LIFECYCLE)
        .findOne();
  }

  public static Optional<Lifecycle> findByName(Handle h, String name) {
    return h.createQuery("SELECT " + COLUMNS + " FROM lifecycles WHERE LOWER(name) = LOWER(:name)")
        .bind("name", name)
        .map(LIFECYCLE)
        .findOne();
  }

  /** The lifecycle projects get when none is named. */
  public Lifecycle defaultLifecycle() {
    return jdbi.withHandle(LifecycleStore::defaultLifecycle);
  }

  public static Lifecycle defaultLifecycle(Handle h) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM lifecycles WHERE is_default = TRUE ORDER BY id")
        .map(LIFECYCLE)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "The database has no default lifecycle; its schema is incomplete"));
  }

  public static List<Lifecycle> listAll(Handle h) {
    return h.createQuery("SELECT " + COLUMNS + " FROM lifecycles ORDER BY name")
        .map(LIFECYCLE)
        .list();
  }

  public Page list(String nameFilter, int skip, int take) {
    NamedPages.Result<Lifecycle> result =
        NamedPages.find(
            jdbi, "lifecycles", COLUMNS, "name", "name", LIFECYCLE, nameFilter, skip, take);
    return new Page(result.items(), result.totalResults());
  }

  /**
   * The phases a release goes through: the lifecycle's own, or for the default lifecycle one phase
   * per environment, in environment order, each named after its environment.
   */
  public List<Phase> effectivePhases(Lifecycle lifecycle) {
    return jdbi.withHandle(h -> effectivePhases(h, lifecycle));
  }

  public static List<Phase> effectivePhases(Handle h, Lifecycle lifecycle) {
    if (lifecycle.phases() != null) {
      return lifecycle.phases();
    }
    return EnvironmentStore.listAll(h).stream()
        .map(e -> new Phase(e.name(), List.of(e.id())))
        .toList();
  }

  /** The phases of every lifecycle that names this environment explicitly. */
  public static List<String> phasesUsing(Handle h, Environment environment) {
    return listAll(h).stream()
        .filter(l -> l.phases() != null)
        .flatMap(
            l ->
                l.phases().stream()
                    .filter(p -> p.environmentIds().contains(environment.id()))
                    .map(p -> "lifecycle '" + l.name() + "' (phase '" + p.name() + "')"))
        .toList();
  }

  public static String insert(Handle h, LifecycleSpec spec) {
    String id = "Lifecycles-" + UUID.randomUUID();
    Instant now = Instant.now();
    h.createUpdate(
            "INSERT INTO lifecycles (id, name, description, is_default, phases, created_at,"
                + " updated_at) VALUES (:id, :name, :description, FALSE, :phases, :now, :now)")
        .bind("id", id)
        .bind("name", spec.name())
        .bind("description", spec.description())
        .bind("phases", toJson(spec.phases()))
        .bind("now", now)
        .execute();
    return id;
  }

  public static void update(Handle h, String id, LifecycleSpec spec) {
    h.createUpdate(
            "UPDATE lifecycles SET name = :name, description = :description, phases = :phases,"
                + " updated_at = :now WHERE id = :id")
        .bind("id", id)
        .bind("name", spec.name())
        .bind("description", spec.description())
        .bind("phases", toJson(spec.phases()))
        .bind("now", Instant.now())
        .execute();
  }

  public static void delete(Handle h, String id) {
    h.createUpdate("DELETE FROM lifecycles WHERE id = :id").bind("id", id).execute();
  }

  private static String toJson(List<Phase> phases) {
    if (phases == null) {
      return null;
    }
    try {
      return JSON.writeValueAsString(phases);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Phase> fromJson(String json) {
    try {
      return json == null ? null : JSON.readValue(json, PHASES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored lifecycle phases are not JSON", e);
    }
  }
}
