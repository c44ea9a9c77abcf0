package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.model.lifecycles.LifecycleStore;
import dev.sepia.server.model.projects.DeploymentStep;
import dev.sepia.server.model.projects.ProcessStore;
import dev.sepia.server.model.projects.ProcessStore.StepSpec;
import dev.sepia.server.model.projects.Project;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.model.projects.ProjectStore.ProjectSpec;
import dev.sepia.server.model.projects.StepKind;
import dev.sepia.server.model.variables.LibraryVariableSetStore;
import dev.sepia.server.security.Barrier;
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
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * /api/projects: projects, their deployment process (/process) and their variables (/variables).
 * Sensitive step parameters and variables are write-only: responses say only that they are set.
 */
public final class ProjectsApi implements ApiModule {
  static final int MAX_STEPS = 100;
  static final int MAX_PARALLEL = 64;
  static final int DEFAULT_MAX_PARALLEL = 10;
  private static final String PROCESS_EXAMPLE =
      "{\"steps\": [{\"id\": \"(optional)\", \"name\": \"Deploy\", \"kind\": \"RunScript\","
          + " \"targetRoles\": [\"web\"], \"script\": \"…\", \"parameters\": {\"Port\": \"80\"},"
          + " \"sensitiveParameters\": {\"Password\": \"new value, or null to keep\"},"
          + " \"maxParallel\": 10}]}";

  private final Jdbi jdbi;
  private final Barrier barrier;
  private final ProjectStore store;
  private final VariablesResource variables;

  public ProjectsApi(Jdbi jdbi, Barrier barrier) {
    this.jdbi = jdbi;
    this.barrier = barrier;
    this.store = new ProjectStore(jdbi);
    this.variables = new VariablesResource(jdbi, barrier);
  }

  /** The request body of POST and PUT; no lifecycle means the default lifecycle. */
  public record ProjectRequest(
      String name, String description, String lifecycleId, List<String> libraryVariableSetIds) {}

  public record ProcessRequest(List<StepRequest> steps) {}

  public record StepRequest(
      String id,
      String name,
      String kind,
      List<String> targetRoles,
      String script,
      Map<String, String> parameters,
      Map<String, String> sensitiveParameters,
      Integer maxParallel) {
    @Override
    public String toString() {
      return "StepRequest[id=" + id + ", name=" + name + ", sensitiveParameters=<masked>]";
    }
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/projects", this::list);
    app.get("/api/projects/{id}", this::get);
    app.post("/api/projects", this::create);
    app.put("/api/projects/{id}", this::update);
    app.delete("/api/projects/{id}", this::delete);
    app.get("/api/projects/{id}/process", this::getProcess);
    app.put("/api/projects/{id}/process", this::putProcess);
    app.get("/api/projects/{id}/variables", this::getVariables);
    app.put("/api/projects/{id}/variables", this::putVariables);
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    ProjectStore.Page page = store.list(ctx.queryParam("name"), paging.skip(), paging.take());
    ctx.json(
        PagedResponse.of(
            page.items().stream().map(ProjectsApi::describe).toList(),
            page.totalResults(),
            paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.json(describe(existing(ctx.pathParam("id"))));
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    ProjectRequest request = body(ctx);
    String id =
        jdbi.inTransaction(
            h -> {
              ProjectSpec spec = validate(h, request);
              refuseTakenName(h, spec.name(), null);
              String newId = ProjectStore.insert(h, spec);
              AuditLog.record(
                  h, user.username(), "ProjectCreated", "Added project '" + spec.name() + "'");
              return newId;
            });
    ctx.status(201).json(describe(existing(id)));
  }

  private void update(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Project current = existing(ctx.pathParam("id"));
    ProjectRequest request = body(ctx);
    jdbi.useTransaction(
        h -> {
          ProjectSpec spec = validate(h, request);
          refuseTakenName(h, spec.name(), current.id());
          ProjectStore.update(h, current.id(), spec);
          AuditLog.record(
              h, user.username(), "ProjectUpdated", "Updated project '" + spec.name() + "'");
        });
    ctx.json(describe(existing(current.id())));
  }

  private void delete(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Project project = existing(ctx.pathParam("id"));
    jdbi.useTransaction(
        h -> {
          ProjectStore.delete(h, project.id());
          AuditLog.record(
              h,
              user.username(),
              "ProjectDeleted",
              "Deleted project '" + project.name() + "' with its process, variables and releases");
        });
    ctx.status(204);
  }

  private void getProcess(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Project project = existing(ctx.pathParam("id"));
    ctx.json(describeProcess(jdbi.withHandle(h -> ProcessStore.steps(h, project.id()))));
  }

  private void putProcess(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Project project = existing(ctx.pathParam("id"));
    ProcessRequest request = JsonBody.read(ctx, ProcessRequest.class, PROCESS_EXAMPLE);
    List<DeploymentStep> after =
        jdbi.inTransaction(
            h -> {
              List<StepSpec> steps = validateProcess(h, project, request);
              ProcessStore.replace(h, barrier, project.id(), steps);
              AuditLog.record(
                  h,
                  user.username(),
                  "ProcessChanged",
                  "Changed the deployment process of project '"
                      + project.name()
                      + "' ("
                      + steps.size()
                      + " steps)");
              return ProcessStore.steps(h, project.id());
            });
    ctx.json(describeProcess(after));
  }

  private void getVariables(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    variables.get(ctx, owner(existing(ctx.pathParam("id"))));
  }

  private void putVariables(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    variables.put(ctx, user, owner(existing(ctx.pathParam("id"))));
  }

  private static VariablesResource.Owner owner(Project project) {
    return new VariablesResource.Owner(project.id(), "project '" + project.name() + "'");
  }

  private static void refuseTakenName(Handle h, String name, String exceptId) {
    ProjectStore.findByName(h, name)
        .filter(p -> !p.id().equals(exceptId))
        .ifPresent(
            p -> {
              throw new ApiException(
                  409, "A project named '" + p.name() + "' already exists. Choose another name.");
            });
  }

  private Project existing(String id) {
    return store
        .find(id)
        .orElseThrow(() -> new ApiException(404, "There is no project with id " + id + "."));
  }

  private static ProjectRequest body(Context ctx) {
    return JsonBody.read(
        ctx,
        ProjectRequest.class,
        "{\"name\": \"Shop\", \"description\": \"…\", \"lifecycleId\": \"(optional)\","
            + " \"libraryVariableSetIds\": […]}");
  }

  private static ProjectSpec validate(Handle h, ProjectRequest r) {
    List<String> problems = new ArrayList<>();
    String name = InputChecks.name("name", r.name(), problems);
    String lifecycleId;
    if (r.lifecycleId() == null || r.lifecycleId().isBlank()) {
      lifecycleId = LifecycleStore.defaultLifecycle(h).id();
    } else {
      lifecycleId = r.lifecycleId().trim();
      if (LifecycleStore.find(h, lifecycleId).isEmpty()) {
        problems.add("lifecycleId: there is no lifecycle with id " + lifecycleId);
      }
    }
    List<String> sets =
        InputChecks.ids("libraryVariableSetIds", r.libraryVariableSetIds(), problems);
    List<String> unknown =
        sets.stream().filter(id -> LibraryVariableSetStore.find(h, id).isEmpty()).toList();
    if (!unknown.isEmpty()) {
      problems.add(
          "libraryVariableSetIds: unknown library variable set ids: " + String.join(", ", unknown));
    }
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The project is not valid.", problems);
    }
    return new ProjectSpec(name, InputChecks.description(r.description()), lifecycleId, sets);
  }

  private static List<StepSpec> validateProcess(Handle h, Project project, ProcessRequest r) {
    if (r.steps() == null) {
      throw new ApiException(400, "The body must be JSON like " + PROCESS_EXAMPLE + ".");
    }
    List<String> problems = new ArrayList<>();
    if (r.steps().size() > MAX_STEPS) {
      throw new ApiException(
          400,
          "A deployment process has at most "
              + MAX_STEPS
              + " steps; this one has "
              + r.steps().size()
              + ".");
    }
    Map<String, DeploymentStep> existing =
        ProcessStore.steps(h, project.id()).stream()
            .collect(Collectors.toMap(DeploymentStep::id, Function.identity()));
    Set<String> names = new HashSet<>();
    Set<String> ids = new HashSet<>();
    List<StepSpec> specs = new ArrayList<>();
    for (int i = 0; i < r.steps().size(); i++) {
      StepRequest step = r.steps().get(i);
      String field = "steps[" + i + "]";
      if (step == null) {
        problems.add(field + ": must be an object");
        continue;
      }
      String name = InputChecks.name(field + ".name", step.name(), problems);
      field = field + " (" + name + ")";
      if (!name.isEmpty() && !names.add(name.toLowerCase(Locale.ROOT))) {
        problems.add(field + ".name: another step has this name; step names must be unique");
      }
      DeploymentStep old = null;
      if (step.id() != null) {
        old = existing.get(step.id());
        if (old == null) {
          problems.add(
              field
                  + ".id: "
                  + step.id()
                  + " is not a step of this project; omit the id for a new step");
        } else if (!ids.add(step.id())) {
          problems.add(field + ".id: " + step.id() + " is listed twice");
        }
      }
      StepKind kind = StepKind.RunScript;
      if (step.kind() != null) {
        try {
          kind = StepKind.parse(step.kind());
        } catch (IllegalArgumentException e) {
          problems.add(field + ".kind: " + e.getMessage());
        }
      }
      List<String> roles = InputChecks.labels(field + ".targetRoles", step.targetRoles(), problems);
      if (roles.isEmpty()) {
        problems.add(field + ".targetRoles: at least one target role is required");
      }
      if (step.script() == null || step.script().isBlank()) {
        problems.add(field + ".script: required");
      }
      int maxParallel = step.maxParallel() == null ? DEFAULT_MAX_PARALLEL : step.maxParallel();
      if (maxParallel < 1 || maxParallel > MAX_PARALLEL) {
        problems.add(field + ".maxParallel: between 1 and " + MAX_PARALLEL);
      }
      Map<String, String> parameters = new TreeMap<>();
      if (step.parameters() != null) {
        for (Map.Entry<String, String> p : step.parameters().entrySet()) {
          String parameter = parameterName(field + ".parameters", p.getKey(), problems);
          parameters.put(parameter, p.getValue() == null ? "" : p.getValue());
        }
      }
      Map<String, String> sensitive = new TreeMap<>();
      if (step.sensitiveParameters() != null) {
        for (Map.Entry<String, String> p : step.sensitiveParameters().entrySet()) {
          String parameter = parameterName(field + ".sensitiveParameters", p.getKey(), problems);
          if (parameters.containsKey(parameter)) {
            problems.add(
                field
                    + ".sensitiveParameters: '"
                    + parameter
                    + "' is also a plain parameter; a parameter is one or the other");
          }
          if (p.getValue() == null
              && (old == null || !old.sensitiveParameterNames().contains(parameter))) {
            problems.add(
                field
                    + ".sensitiveParameters: '"
                    + parameter
                    + "' has no stored value to keep; send its value");
          }
          sensitive.put(parameter, p.getValue());
        }
      }
      specs.add(
          new StepSpec(
              old == null ? null : step.id(),
              name,
              kind,
              roles,
              step.script(),
              parameters,
              maxParallel,
              sensitive));
    }
    if (!problems.isEmpty()) {
      throw new ApiException(
          400,
          "The deployment process of project '"
              + project.name()
              + "' is not valid; nothing was"
              + " changed.",
          problems);
    }
    return specs;
  }

  private static String parameterName(String field, String raw, List<String> problems) {
    String name = raw == null ? "" : raw.trim();
    if (name.isEmpty() || name.length() > InputChecks.MAX_NAME) {
      problems.add(
          field + ": parameter names must be 1 to " + InputChecks.MAX_NAME + " characters");
    }
    return name;
  }

  static Map<String, Object> describe(Project p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", p.id());
    out.put("name", p.name());
    out.put("description", p.description());
    out.put("lifecycleId", p.lifecycleId());
    out.put("libraryVariableSetIds", p.libraryVariableSetIds());
    return out;
  }

  static Map<String, Object> describeProcess(List<DeploymentStep> steps) {
    List<Map<String, Object>> items = new ArrayList<>();
    for (DeploymentStep s : steps) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", s.id());
      out.put("name", s.name());
      out.put("kind", s.kind().name());
      out.put("targetRoles", s.targetRoles());
      out.put("script", s.script());
      out.put("parameters", s.parameters());
      Map<String, Object> sensitive = new TreeMap<>();
      s.sensitiveParameterNames().forEach(n -> sensitive.put(n, Map.of("isSet", true)));
      out.put("sensitiveParameters", sensitive);
      out.put("maxParallel", s.maxParallel());
      items.add(out);
    }
    return Map.of("steps", items);
  }
}
