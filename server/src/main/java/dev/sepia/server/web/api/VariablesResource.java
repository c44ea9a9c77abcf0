package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.variables.StoredVariable;
import dev.sepia.server.model.variables.VariableStore;
import dev.sepia.server.model.variables.VariableStore.VariableSpec;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.users.User;
import dev.sepia.server.web.ApiException;
import dev.sepia.server.web.JsonBody;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The variables of one owner (a project or a library variable set), read and replaced whole.
 * Sensitive values are write-only: responses say only that one is set.
 */
final class VariablesResource {
  private static final String EXAMPLE =
      "{\"variables\": [{\"id\": \"(optional)\", \"name\": \"DbPassword\", \"value\": \"…\","
          + " \"isSensitive\": true, \"scope\": {\"environments\": [], \"roles\": [],"
          + " \"machines\": []}}]}";

  private final Jdbi jdbi;
  private final Barrier barrier;

  VariablesResource(Jdbi jdbi, Barrier barrier) {
    this.jdbi = jdbi;
    this.barrier = barrier;
  }

  /** Who owns the variables, for messages: e.g. "project 'Shop'". */
  record Owner(String id, String label) {}

  public record VariablesRequest(List<VariableRequest> variables) {}

  public record VariableRequest(
      String id, String name, String value, Boolean isSensitive, ScopeRequest scope) {
    @Override
    public String toString() {
      return "VariableRequest[id=" + id + ", name=" + name + ", value=<masked>]";
    }
  }

  public record ScopeRequest(
      List<String> environments, List<String> roles, List<String> machines) {}

  void get(Context ctx, Owner owner) {
    ctx.json(describe(jdbi.withHandle(h -> VariableStore.list(h, owner.id()))));
  }

  void put(Context ctx, User user, Owner owner) {
    VariablesRequest request = JsonBody.read(ctx, VariablesRequest.class, EXAMPLE);
    List<StoredVariable> after =
        jdbi.inTransaction(
            h -> {
              List<VariableSpec> specs = validate(h, owner, request);
              VariableStore.replace(h, barrier, owner.id(), specs);
              long sensitive = specs.stream().filter(VariableSpec::sensitive).count();
              AuditLog.record(
                  h,
                  user.username(),
                  "VariablesChanged",
                  "Changed variables of "
                      + owner.label()
                      + " ("
                      + specs.size()
                      + " variables, "
                      + sensitive
                      + " sensitive)");
              return VariableStore.list(h, owner.id());
            });
    ctx.json(describe(after));
  }

  private static List<VariableSpec> validate(Handle h, Owner owner, VariablesRequest request) {
    List<String> problems = new ArrayList<>();
    if (request.variables() == null) {
      throw new ApiException(400, "The body must be JSON like " + EXAMPLE + ".");
    }
    Map<String, StoredVariable> existing =
        VariableStore.list(h, owner.id()).stream()
            .collect(Collectors.toMap(StoredVariable::id, Function.identity()));
    Set<String> environments =
        EnvironmentStore.listAll(h).stream().map(e -> e.id()).collect(Collectors.toSet());
    Set<String> machines =
        new HashSet<>(h.createQuery("SELECT id FROM machines").mapTo(String.class).list());
    Set<String> unknownEnvironments = new TreeSet<>();
    Set<String> unknownMachines = new TreeSet<>();
    Set<String> seenIds = new HashSet<>();
    List<VariableSpec> specs = new ArrayList<>();
    for (int i = 0; i < request.variables().size(); i++) {
      VariableRequest v = request.variables().get(i);
      String field = "variables[" + i + "]";
      if (v == null) {
        problems.add(field + ": must be an object");
        continue;
      }
      String name = InputChecks.name(field + ".name", v.name(), problems);
      field = field + " (" + name + ")";
      boolean sensitive = Boolean.TRUE.equals(v.isSensitive());
      StoredVariable old = null;
      if (v.id() != null) {
        old = existing.get(v.id());
        if (old == null) {
          problems.add(
              field
                  + ".id: "
                  + v.id()
                  + " is not a variable of "
                  + owner.label()
                  + "; omit the"
                  + " id for a new variable");
        } else if (!seenIds.add(v.id())) {
          problems.add(field + ".id: " + v.id() + " is listed twice");
        }
      }
      if (sensitive && v.value() == null) {
        if (old == null) {
          problems.add(field + ".value: a new sensitive variable needs a value");
        } else if (!old.sensitive()) {
          problems.add(
              field + ".value: the variable was not sensitive; making it sensitive needs a value");
        }
      }
      ScopeRequest scope = v.scope() == null ? new ScopeRequest(null, null, null) : v.scope();
      List<String> environmentIds =
          InputChecks.ids(field + ".scope.environments", scope.environments(), problems);
      environmentIds.stream()
          .filter(id -> !environments.contains(id))
          .forEach(unknownEnvironments::add);
      List<String> machineIds =
          InputChecks.ids(field + ".scope.machines", scope.machines(), problems);
      machineIds.stream().filter(id -> !machines.contains(id)).forEach(unknownMachines::add);
      List<String> roles = InputChecks.labels(field + ".scope.roles", scope.roles(), problems);
      specs.add(
          new VariableSpec(
              old == null ? null : v.id(),
              name,
              sensitive,
              v.value(),
              environmentIds,
              roles,
              machineIds));
    }
    if (!unknownEnvironments.isEmpty()) {
      problems.add(
          "scope.environments: unknown environment ids: " + String.join(", ", unknownEnvironments));
    }
    if (!unknownMachines.isEmpty()) {
      problems.add("scope.machines: unknown target ids: " + String.join(", ", unknownMachines));
    }
    if (!problems.isEmpty()) {
      throw new ApiException(
          400,
          "The variables of " + owner.label() + " are not valid; nothing was changed.",
          problems);
    }
    return specs;
  }

  static Map<String, Object> describe(List<StoredVariable> variables) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (StoredVariable v : variables) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", v.id());
      out.put("name", v.name());
      out.put("isSensitive", v.sensitive());
      // Never the sealed text either: only whether a value is set.
      out.put("value", v.sensitive() ? null : v.plainValue());
      if (v.sensitive()) {
        out.put("isSet", v.sealedValue() != null);
      }
      Map<String, Object> scope = new LinkedHashMap<>();
      scope.put("environments", v.environmentIds());
      scope.put("roles", v.roles());
      scope.put("machines", v.machineIds());
      out.put("scope", scope);
      items.add(out);
    }
    return Map.of("variables", items);
  }
}
