package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.lifecycles.Lifecycle;
import dev.sepia.server.model.lifecycles.LifecycleStore;
import dev.sepia.server.model.lifecycles.LifecycleStore.LifecycleSpec;
import dev.sepia.server.model.lifecycles.Phase;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiException;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.JsonBody;
import dev.sepia.server.web.Paging;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * /api/lifecycles: the phases of environments that releases are promoted through. The default
 * lifecycle (every environment, in order) can be renamed but not given phases or deleted.
 */
public final class LifecyclesApi implements ApiModule {
  private static final String EXAMPLE =
      "{\"name\": \"Standard\", \"description\": \"…\", \"phases\": [{\"name\": \"Test\","
          + " \"environmentIds\": [\"Environments-…\"]}]}";

  private final Jdbi jdbi;
  private final LifecycleStore store;

  public LifecyclesApi(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.store = new LifecycleStore(jdbi);
  }

  /** The request body of POST and PUT. */
  public record LifecycleRequest(String name, String description, List<PhaseRequest> phases) {}

  public record PhaseRequest(String name, List<String> environmentIds) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/lifecycles", this::list);
    app.get("/api/lifecycles/{id}", this::get);
    app.post("/api/lifecycles", this::create);
    app.put("/api/lifecycles/{id}", this::update);
    app.delete("/api/lifecycles/{id}", this::delete);
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    LifecycleStore.Page page = store.list(ctx.queryParam("name"), paging.skip(), paging.take());
    List<Map<String, Object>> items =
        jdbi.withHandle(h -> page.items().stream().map(l -> describe(h, l)).toList());
    ctx.json(PagedResponse.of(items, page.totalResults(), paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.json(describe(ctx.pathParam("id")));
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    LifecycleRequest request = body(ctx);
    String id =
        jdbi.inTransaction(
            h -> {
              LifecycleSpec spec = validate(h, request, false);
              refuseTakenName(h, spec.name(), null);
              String newId = LifecycleStore.insert(h, spec);
              AuditLog.record(
                  h,
                  user.username(),
                  "LifecycleCreated",
                  "Added lifecycle '" + spec.name() + "' (" + spec.phases().size() + " phases)");
              return newId;
            });
    ctx.status(201).json(describe(id));
  }

  private void update(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Lifecycle current = existing(ctx.pathParam("id"));
    LifecycleRequest request = body(ctx);
    jdbi.useTransaction(
        h -> {
          LifecycleSpec spec = validate(h, request, current.isDefault());
          refuseTakenName(h, spec.name(), current.id());
          LifecycleStore.update(h, current.id(), spec);
          AuditLog.record(
              h, user.username(), "LifecycleUpdated", "Updated lifecycle '" + spec.name() + "'");
        });
    ctx.json(describe(current.id()));
  }

  private void delete(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Lifecycle lifecycle = existing(ctx.pathParam("id"));
    if (lifecycle.isDefault()) {
      throw new ApiException(
          409,
          "Lifecycle '"
              + lifecycle.name()
              + "' is the default lifecycle, which projects get when they name none; it cannot be"
              + " deleted.");
    }
    jdbi.useTransaction(
        h -> {
          List<String> projects = ProjectStore.namesUsingLifecycle(h, lifecycle.id());
          if (!projects.isEmpty()) {
            throw new ApiException(
                409,
                "Lifecycle '"
                    + lifecycle.name()
                    + "' is used by "
                    + projects.size()
                    + " project(s) and was not deleted. Give them another lifecycle first.",
                projects.stream().map(p -> "project '" + p + "'").toList());
          }
          LifecycleStore.delete(h, lifecycle.id());
          AuditLog.record(
              h,
              user.username(),
              "LifecycleDeleted",
              "Deleted lifecycle '" + lifecycle.name() + "'");
        });
    ctx.status(204);
  }

  private static void refuseTakenName(Handle h, String name, String exceptId) {
    LifecycleStore.findByName(h, name)
        .filter(l -> !l.id().equals(exceptId))
        .ifPresent(
            l -> {
              throw new ApiException(
                  409, "A lifecycle named '" + l.name() + "' already exists. Choose another name.");
            });
  }

  private Lifecycle existing(String id) {
    return store
        .find(id)
        .orElseThrow(() -> new ApiException(404, "There is no lifecycle with id " + id + "."));
  }

  private static LifecycleRequest body(Context ctx) {
    return JsonBody.read(ctx, LifecycleRequest.class, EXAMPLE);
  }

  private static LifecycleSpec validate(Handle h, LifecycleRequest r, boolean isDefault) {
    List<String> problems = new ArrayList<>();
    String name = InputChecks.name("name", r.name(), problems);
    String description = InputChecks.description(r.description());
    if (isDefault) {
      if (r.phases() != null) {
        problems.add(
            "phases: the default lifecycle always has every environment as a phase, in order;"
                + " omit phases, or create another lifecycle");
      }
      throwIfAny(problems);
      return new LifecycleSpec(name, description, null);
    }
    if (r.phases() == null || r.phases().isEmpty()) {
      problems.add("phases: at least one phase is required");
      throwIfAny(problems);
    }
    Set<String> known =
        EnvironmentStore.listAll(h).stream().map(Environment::id).collect(Collectors.toSet());
    Set<String> phaseNames = new HashSet<>();
    Set<String> placed = new HashSet<>();
    Set<String> unknown = new TreeSet<>();
    List<Phase> phases = new ArrayList<>();
    for (int i = 0; i < r.phases().size(); i++) {
      PhaseRequest phase = r.phases().get(i);
      String field = "phases[" + i + "]";
      if (phase == null) {
        problems.add(field + ": must be an object like {\"name\": …, \"environmentIds\": […]}");
        continue;
      }
      String phaseName = InputChecks.name(field + ".name", phase.name(), problems);
      if (!phaseName.isEmpty() && !phaseNames.add(phaseName.toLowerCase(Locale.ROOT))) {
        problems.add(field + ".name: another phase is already named '" + phaseName + "'");
      }
      List<String> ids =
          InputChecks.ids(field + ".environmentIds", phase.environmentIds(), problems);
      if (ids.isEmpty()) {
        problems.add(field + ".environmentIds: at least one environment is required");
      }
      for (String id : ids) {
        if (!known.contains(id)) {
          unknown.add(id);
        } else if (!placed.add(id)) {
          problems.add(
              field + ".environmentIds: " + id + " is already in an earlier phase (once only)");
        }
      }
      phases.add(new Phase(phaseName, ids));
    }
    if (!unknown.isEmpty()) {
      problems.add("phases: unknown environment ids: " + String.join(", ", unknown));
    }
    throwIfAny(problems);
    return new LifecycleSpec(name, description, phases);
  }

  private static void throwIfAny(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The lifecycle is not valid.", problems);
    }
  }

  private Map<String, Object> describe(String id) {
    return jdbi.withHandle(
        h ->
            describe(
                h,
                LifecycleStore.find(h, id)
                    .orElseThrow(
                        () -> new ApiException(404, "There is no lifecycle with id " + id + "."))));
  }

  /** The lifecycle with its effective phases, each naming its environments. */
  static Map<String, Object> describe(Handle h, Lifecycle l) {
    Map<String, Environment> environments =
        EnvironmentStore.listAll(h).stream()
            .collect(Collectors.toMap(Environment::id, Function.identity()));
    List<Map<String, Object>> phases = new ArrayList<>();
    for (Phase phase : LifecycleStore.effectivePhases(h, l)) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", phase.name());
      p.put("environmentIds", phase.environmentIds());
      p.put(
          "environments",
          phase.environmentIds().stream()
              .map(
                  id -> {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("id", id);
                    e.put(
                        "name", environments.containsKey(id) ? environments.get(id).name() : null);
                    return e;
                  })
              .toList());
      phases.add(p);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", l.id());
    out.put("name", l.name());
    out.put("description", l.description());
    out.put("isDefault", l.isDefault());
    out.put("phases", phases);
    return out;
  }
}
