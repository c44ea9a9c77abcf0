package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.model.environments.EnvironmentStore.EnvironmentSpec;
import dev.sepia.server.model.environments.MachineEnvironmentNames;
import dev.sepia.server.model.lifecycles.LifecycleStore;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.model.variables.LibraryVariableSetStore;
import dev.sepia.server.model.variables.VariableStore;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** /api/environments: where releases are deployed. Administrators change them; all audited. */
public final class EnvironmentsApi implements ApiModule {
  private final Jdbi jdbi;
  private final EnvironmentStore store;

  public EnvironmentsApi(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.store = new EnvironmentStore(jdbi);
  }

  /** The request body of POST and PUT; a null sort order puts a new one last, or keeps it. */
  public record EnvironmentRequest(String name, String description, Integer sortOrder) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/environments", this::list);
    app.get("/api/environments/{id}", this::get);
    app.post("/api/environments", this::create);
    app.put("/api/environments/{id}", this::update);
    app.delete("/api/environments/{id}", this::delete);
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    EnvironmentStore.Page page = store.list(ctx.queryParam("name"), paging.skip(), paging.take());
    ctx.json(
        PagedResponse.of(
            page.items().stream().map(EnvironmentsApi::describe).toList(),
            page.totalResults(),
            paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.json(describe(existing(ctx.pathParam("id"))));
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    EnvironmentSpec spec = validate(body(ctx));
    String id =
        jdbi.inTransaction(
            h -> {
              refuseTakenName(h, spec.name(), null);
              String newId = EnvironmentStore.insert(h, spec);
              AuditLog.record(
                  h,
                  user.username(),
                  "EnvironmentCreated",
                  "Added environment '" + spec.name() + "'");
              return newId;
            });
    ctx.status(201).json(describe(existing(id)));
  }

  private void update(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Environment current = existing(ctx.pathParam("id"));
    EnvironmentSpec spec = validate(body(ctx));
    jdbi.useTransaction(
        h -> {
          refuseTakenName(h, spec.name(), current.id());
          EnvironmentStore.update(h, current.id(), spec);
          String message = "Updated environment '" + spec.name() + "'";
          if (!current.name().equals(spec.name())) {
            // Targets name their environments, so a rename must reach them too.
            int targets = MachineEnvironmentNames.rename(h, current.name(), spec.name());
            message =
                "Renamed environment '"
                    + current.name()
                    + "' to '"
                    + spec.name()
                    + "'"
                    + (targets == 0 ? "" : " (and on " + targets + " targets)");
          }
          AuditLog.record(h, user.username(), "EnvironmentUpdated", message);
        });
    ctx.json(describe(existing(current.id())));
  }

  private void delete(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Environment environment = existing(ctx.pathParam("id"));
    jdbi.useTransaction(
        h -> {
          List<String> usages = usages(h, environment);
          if (!usages.isEmpty()) {
            throw new ApiException(
                409,
                "Environment '"
                    + environment.name()
                    + "' is in use and was not deleted. Remove it from the places listed first.",
                usages);
          }
          EnvironmentStore.delete(h, environment.id());
          AuditLog.record(
              h,
              user.username(),
              "EnvironmentDeleted",
              "Deleted environment '" + environment.name() + "'");
        });
    ctx.status(204);
  }

  /** Everything that refers to the environment, one readable line each. */
  private static List<String> usages(Handle h, Environment environment) {
    List<String> usages = new ArrayList<>(LifecycleStore.phasesUsing(h, environment));
    VariableStore.scopedToEnvironment(h, environment.id())
        .forEach(
            (ownerId, count) ->
                usages.add(count + " variable(s) of " + ownerLabel(h, ownerId) + " scoped to it"));
    MachineEnvironmentNames.machinesIn(h, environment.name())
        .forEach(name -> usages.add("target '" + name + "'"));
    int deployments =
        h.createQuery("SELECT COUNT(*) FROM deployments WHERE environment_id = :id")
            .bind("id", environment.id())
            .mapTo(Integer.class)
            .one();
    if (deployments > 0) {
      usages.add(deployments + " deployment(s) to it");
    }
    return usages;
  }

  private static String ownerLabel(Handle h, String ownerId) {
    return ProjectStore.find(h, ownerId)
        .map(p -> "project '" + p.name() + "'")
        .or(
            () ->
                LibraryVariableSetStore.find(h, ownerId)
                    .map(s -> "library variable set '" + s.name() + "'"))
        .orElse(ownerId);
  }

  private static void refuseTakenName(Handle h, String name, String exceptId) {
    EnvironmentStore.findByName(h, name)
        .filter(e -> !e.id().equals(exceptId))
        .ifPresent(
            e -> {
              throw new ApiException(
                  409,
                  "An environment named '" + e.name() + "' already exists. Choose another name.");
            });
  }

  private Environment existing(String id) {
    return store
        .find(id)
        .orElseThrow(() -> new ApiException(404, "There is no environment with id " + id + "."));
  }

  private static EnvironmentRequest body(Context ctx) {
    return JsonBody.read(
        ctx,
        EnvironmentRequest.class,
        "{\"name\": \"Production\", \"description\": \"…\", \"sortOrder\": 2}");
  }

  private static EnvironmentSpec validate(EnvironmentRequest r) {
    List<String> problems = new ArrayList<>();
    String name = InputChecks.name("name", r.name(), problems);
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The environment is not valid.", problems);
    }
    return new EnvironmentSpec(name, InputChecks.description(r.description()), r.sortOrder());
  }

  static Map<String, Object> describe(Environment e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", e.id());
    out.put("name", e.name());
    out.put("description", e.description());
    out.put("sortOrder", e.sortOrder());
    return out;
  }
}
