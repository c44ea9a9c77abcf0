package dev.sepia.server.model.projects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.server.recovery.ClearedValues;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The deployment process of each project: its ordered steps, and their sensitive parameters sealed
 * in step_sensitive_parameters (each value bound to its own row id). Methods taking a {@link
 * Handle} run in the caller's transaction; the others open their own.
 */
public final class ProcessStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, String>> PARAMETERS =
      new TypeReference<>() {};

  private final Jdbi jdbi;

  public ProcessStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * A step as a caller wants it. {@code id} names an existing step of the project to keep its id,
   * or is null for a new step. In {@code sensitiveParameters} a value replaces the stored one and
   * null keeps the stored one; names not listed are removed.
   */
  public record StepSpec(
      String id,
      String name,
      StepKind kind,
      List<String> targetRoles,
      String script,
      Map<String, String> parameters,
      int maxParallel,
      Map<String, String> sensitiveParameters) {
    public StepSpec {
      targetRoles = targetRoles == null ? List.of() : targetRoles;
      parameters = parameters == null ? Map.of() : parameters;
      sensitiveParameters = sensitiveParameters == null ? Map.of() : sensitiveParameters;
    }

    @Override
    public String toString() {
      return "StepSpec[id=" + id + ", name=" + name + ", sensitiveParameters=<masked>]";
    }
  }

  /** The project's steps, in order. */
  public List<DeploymentStep> steps(String projectId) {
    return jdbi.withHandle(h -> steps(h, projectId));
  }

  public static List<DeploymentStep> steps(Handle h, String projectId) {
    Map<String, Set<String>> sensitiveNames = new HashMap<>();
    h.createQuery(
            "SELECT p.step_id, p.name FROM step_sensitive_parameters p"
                + " JOIN deployment_steps s ON s.id = p.step_id WHERE s.project_id = :project")
        .bind("project", projectId)
        .map((rs, ctx) -> Map.entry(rs.getString("step_id"), rs.getString("name")))
        .forEach(
            e ->
                sensitiveNames.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
    return h.createQuery(
            "SELECT id, project_id, position, name, kind, target_roles, script, parameters,"
                + " max_parallel FROM deployment_steps WHERE project_id = :project"
                + " ORDER BY position")
        .bind("project", projectId)
        .map(
            (rs, ctx) ->
                new DeploymentStep(
                    rs.getString("id"),
                    rs.getString("project_id"),
                    rs.getInt("position"),
                    rs.getString("name"),
                    StepKind.valueOf(rs.getString("kind")),
                    read(rs.getString("target_roles"), STRINGS),
                    rs.getString("script"),
                    read(rs.getString("parameters"), PARAMETERS),
                    rs.getInt("max_parallel"),
                    sensitiveNames.getOrDefault(rs.getString("id"), Set.of())))
        .list();
  }

  /**
   * The step's sensitive parameters, opened (name → value). Fails when a value cannot be opened
   * with the current master key or was moved from another row, and with a {@link
   * dev.sepia.server.recovery.ClearedValueException} when a recovery cleared it.
   */
  public static Map<String, String> openSensitiveParameters(
      Handle h, Barrier barrier, String stepId) throws GeneralSecurityException {
    Map<String, String> opened = new TreeMap<>();
    List<Map.Entry<String, String[]>> rows =
        h.createQuery(
                "SELECT id, name, sealed_value FROM step_sensitive_parameters WHERE step_id ="
                    + " :step")
            .bind("step", stepId)
            .map(
                (rs, ctx) ->
                    Map.entry(
                        rs.getString("name"),
                        new String[] {rs.getString("id"), rs.getString("sealed_value")}))
            .list();
    for (Map.Entry<String, String[]> row : rows) {
      if (row.getValue()[1] == null) {
        throw ClearedValues.failure(
            h, EncryptedFieldCatalogue.STEP_SENSITIVE_PARAMETER, row.getValue()[0]);
      }
      opened.put(
          row.getKey(),
          barrier.openString(
              EncryptedFieldCatalogue.STEP_SENSITIVE_PARAMETER,
              row.getValue()[0],
              row.getValue()[1]));
    }
    return opened;
  }

  /**
   * Replaces the whole process with these steps, in this order. Steps of the project that are not
   * named are deleted with their sensitive parameters.
   *
   * @throws IllegalArgumentException if a step id is not one of this project's steps, or a
   *     sensitive parameter is to be kept that the step does not have (callers validate first)
   */
  public static void replace(Handle h, Barrier barrier, String projectId, List<StepSpec> steps) {
    Map<String, DeploymentStep> existing =
        steps(h, projectId).stream()
            .collect(Collectors.toMap(DeploymentStep::id, s -> s, (a, b) -> a, HashMap::new));
    Set<String> kept = new HashSet<>();
    for (StepSpec spec : steps) {
      if (spec.id() != null) {
        if (!existing.containsKey(spec.id()) || !kept.add(spec.id())) {
          throw new IllegalArgumentException(
              "Step " + spec.id() + " is not a step of project " + projectId);
        }
      }
    }
    for (String id : existing.keySet()) {
      if (!kept.contains(id)) {
        h.createUpdate("DELETE FROM deployment_steps WHERE id = :id").bind("id", id).execute();
      }
    }
    Instant now = Instant.now();
    int position = 0;
    for (StepSpec spec : steps) {
      String stepId;
      Set<String> storedNames;
      if (spec.id() == null) {
        stepId = "DeploymentSteps-" + UUID.randomUUID();
        storedNames = Set.of();
        h.createUpdate(
                "INSERT INTO deployment_steps (id, project_id, position, name, kind, target_roles,"
                    + " script, parameters, max_parallel, created_at, updated_at) VALUES (:id,"
                    + " :project, :position, :name, :kind, :roles, :script, :parameters,"
                    + " :maxParallel, :now, :now)")
            .bind("id", stepId)
            .bind("project", projectId)
            .bind("position", position)
            .bind("name", spec.name())
            .bind("kind", spec.kind().name())
            .bind("roles", write(spec.targetRoles()))
            .bind("script", spec.script())
            .bind("parameters", write(spec.parameters()))
            .bind("maxParallel", spec.maxParallel())
            .bind("now", now)
            .execute();
      } else {
        stepId = spec.id();
        storedNames = existing.get(stepId).sensitiveParameterNames();
        h.createUpdate(
                "UPDATE deployment_steps SET position = :position, name = :name, kind = :kind,"
                    + " target_roles = :roles, script = :script, parameters = :parameters,"
                    + " max_parallel = :maxParallel, updated_at = :now WHERE id = :id")
            .bind("id", stepId)
            .bind("position", position)
            .bind("name", spec.name())
            .bind("kind", spec.kind().name())
            .bind("roles", write(spec.targetRoles()))
            .bind("script", spec.script())
            .bind("parameters", write(spec.parameters()))
            .bind("maxParallel", spec.maxParallel())
            .bind("now", now)
            .execute();
      }
      replaceSensitiveParameters(h, barrier, stepId, storedNames, spec.sensitiveParameters());
      position++;
    }
  }

  private static void replaceSensitiveParameters(
      Handle h,
      Barrier barrier,
      String stepId,
      Set<String> storedNames,
      Map<String, String> wanted) {
    Map<String, String> requested = wanted;
    for (String name : storedNames) {
      if (!requested.containsKey(name) || requested.get(name) != null) {
        h.createUpdate("DELETE FROM step_sensitive_parameters WHERE step_id = :step AND name = :n")
            .bind("step", stepId)
            .bind("n", name)
            .execute();
      }
    }
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, String> entry : requested.entrySet()) {
      if (entry.getValue() == null) {
        if (!storedNames.contains(entry.getKey())) {
          missing.add(entry.getKey());
        }
        continue;
      }
      // The row id is part of the sealed value's associated data: choose it before sealing.
      String rowId = "StepSensitiveParameters-" + UUID.randomUUID();
      h.createUpdate(
              "INSERT INTO step_sensitive_parameters (id, step_id, name, sealed_value) VALUES"
                  + " (:id, :step, :name, :sealed)")
          .bind("id", rowId)
          .bind("step", stepId)
          .bind("name", entry.getKey())
          .bind(
              "sealed",
              barrier.seal(
                  EncryptedFieldCatalogue.STEP_SENSITIVE_PARAMETER, rowId, entry.getValue()))
          .execute();
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Step " + stepId + " has no stored value to keep for sensitive parameters " + missing);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored step data is not JSON", e);
    }
  }
}
