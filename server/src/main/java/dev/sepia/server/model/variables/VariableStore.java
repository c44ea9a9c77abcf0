package dev.sepia.server.model.variables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.server.recovery.ClearedValueException;
import dev.sepia.server.recovery.ClearedValues;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Variables of projects and library variable sets (the owner). A sensitive value is sealed under
 * its row's id, so rows keep their id for as long as they keep their sealed value. Methods taking a
 * {@link Handle} run in the caller's transaction; the others open their own.
 */
public final class VariableStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, owner_id, name, is_sensitive, plain_value, sensitive_value, scope_environments,"
          + " scope_roles, scope_machines, position";

  private static final RowMapper<StoredVariable> VARIABLE =
      (rs, ctx) ->
          new StoredVariable(
              rs.getString("id"),
              rs.getString("owner_id"),
              rs.getString("name"),
              rs.getBoolean("is_sensitive"),
              rs.getString("plain_value"),
              rs.getString("sensitive_value"),
              fromJson(rs.getString("scope_environments")),
              fromJson(rs.getString("scope_roles")),
              fromJson(rs.getString("scope_machines")),
              rs.getInt("position"));

  private final Jdbi jdbi;

  public VariableStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * A variable as a caller wants it. {@code id} names an existing variable of the owner to keep its
   * id, or is null for a new one. For a sensitive variable, {@code value} is the new value, or null
   * to keep the one stored under {@code id}.
   */
  public record VariableSpec(
      String id,
      String name,
      boolean sensitive,
      String value,
      List<String> environmentIds,
      List<String> roles,
      List<String> machineIds) {
    public VariableSpec {
      environmentIds = environmentIds == null ? List.of() : List.copyOf(environmentIds);
      roles = roles == null ? List.of() : List.copyOf(roles);
      machineIds = machineIds == null ? List.of() : List.copyOf(machineIds);
    }

    @Override
    public String toString() {
      return "VariableSpec[id="
          + id
          + ", name="
          + name
          + ", sensitive="
          + sensitive
          + ", value="
          + (sensitive ? "<masked>" : value)
          + "]";
    }
  }

  /** The owner's variables, in order. */
  public List<StoredVariable> list(String ownerId) {
    return jdbi.withHandle(h -> list(h, ownerId));
  }

  public static List<StoredVariable> list(Handle h, String ownerId) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM variables WHERE owner_id = :owner ORDER BY position")
        .bind("owner", ownerId)
        .map(VARIABLE)
        .list();
  }

  /**
   * Opens a sensitive variable's value, naming its project or library set and where to set it again
   * if a recovery cleared it.
   */
  public static String open(Handle h, Barrier barrier, StoredVariable variable)
      throws GeneralSecurityException {
    if (variable.sensitive() && variable.sealedValue() == null) {
      throw ClearedValues.failure(h, EncryptedFieldCatalogue.SENSITIVE_VARIABLE, variable.id());
    }
    return open(barrier, variable);
  }

  /**
   * Opens a sensitive variable's value. Fails when it cannot be opened with the current master key
   * or was moved from another row.
   */
  public static String open(Barrier barrier, StoredVariable variable)
      throws GeneralSecurityException {
    if (!variable.sensitive()) {
      throw new IllegalArgumentException("Variable " + variable.id() + " is not sensitive");
    }
    if (variable.sealedValue() == null) {
      throw new ClearedValueException(
          EncryptedFieldCatalogue.SENSITIVE_VARIABLE.clearedMessage(variable.name(), null));
    }
    return barrier.openString(
        EncryptedFieldCatalogue.SENSITIVE_VARIABLE, variable.id(), variable.sealedValue());
  }

  /**
   * Replaces all of the owner's variables with these, in this order. A kept sensitive value stays
   * in its row (same id), so it needs no re-sealing; a new value is sealed under its row's id.
   *
   * @throws IllegalArgumentException if an id is not one of the owner's variables, or a sensitive
   *     value is to be kept that was not stored (callers validate first)
   */
  public static void replace(Handle h, Barrier barrier, String ownerId, List<VariableSpec> specs) {
    Map<String, StoredVariable> existing = new HashMap<>();
    list(h, ownerId).forEach(v -> existing.put(v.id(), v));
    Set<String> seen = new HashSet<>();
    for (VariableSpec spec : specs) {
      if (spec.id() != null && (!existing.containsKey(spec.id()) || !seen.add(spec.id()))) {
        throw new IllegalArgumentException(
            "Variable " + spec.id() + " is not a variable of " + ownerId);
      }
      if (spec.sensitive() && spec.value() == null) {
        StoredVariable old = spec.id() == null ? null : existing.get(spec.id());
        if (old == null || !old.sensitive()) {
          throw new IllegalArgumentException(
              "Sensitive variable '" + spec.name() + "' has no stored value to keep");
        }
      }
    }
    deleteOwner(h, ownerId);
    Instant now = Instant.now();
    int position = 0;
    for (VariableSpec spec : specs) {
      String id = spec.id() != null ? spec.id() : "Variables-" + UUID.randomUUID();
      String plain = spec.sensitive() ? null : (spec.value() == null ? "" : spec.value());
      String sealed = null;
      if (spec.sensitive()) {
        sealed =
            spec.value() == null
                ? existing.get(id).sealedValue()
                : barrier.seal(EncryptedFieldCatalogue.SENSITIVE_VARIABLE, id, spec.value());
      }
      h.createUpdate(
              "INSERT INTO variables (id, owner_id, name, is_sensitive, plain_value,"
                  + " sensitive_value, scope_environments, scope_roles, scope_machines, position,"
                  + " created_at, updated_at) VALUES (:id, :owner, :name, :sensitive, :plain,"
                  + " :sealed, :environments, :roles, :machines, :position, :now, :now)")
          .bind("id", id)
          .bind("owner", ownerId)
          .bind("name", spec.name())
          .bind("sensitive", spec.sensitive())
          .bind("plain", plain)
          .bind("sealed", sealed)
          .bind("environments", toJson(spec.environmentIds()))
          .bind("roles", toJson(spec.roles()))
          .bind("machines", toJson(spec.machineIds()))
          .bind("position", position++)
          .bind("now", now)
          .execute();
    }
  }

  public static void deleteOwner(Handle h, String ownerId) {
    h.createUpdate("DELETE FROM variables WHERE owner_id = :owner")
        .bind("owner", ownerId)
        .execute();
  }

  /** How many variables of each owner are scoped to this environment (owner id → count). */
  public static Map<String, Integer> scopedToEnvironment(Handle h, String environmentId) {
    return countScoped(h, "scope_environments", environmentId);
  }

  /** How many variables of each owner are scoped to this machine (owner id → count). */
  public static Map<String, Integer> scopedToMachine(Handle h, String machineId) {
    return countScoped(h, "scope_machines", machineId);
  }

  private static Map<String, Integer> countScoped(Handle h, String column, String id) {
    Map<String, Integer> counts = new TreeMap<>();
    h.createQuery("SELECT owner_id, " + column + " FROM variables")
        .map((rs, ctx) -> Map.entry(rs.getString("owner_id"), fromJson(rs.getString(column))))
        .forEach(
            e -> {
              if (e.getValue().contains(id)) {
                counts.merge(e.getKey(), 1, Integer::sum);
              }
            });
    return counts;
  }

  private static String toJson(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
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
