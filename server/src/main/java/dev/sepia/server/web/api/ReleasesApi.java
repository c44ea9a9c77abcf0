package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.engine.deployments.DeploymentQueue;
import dev.sepia.server.model.deployments.DeploymentStore;
import dev.sepia.server.model.projects.Project;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.model.releases.Release;
import dev.sepia.server.model.releases.ReleaseSnapshot;
import dev.sepia.server.model.releases.ReleaseSnapshots;
import dev.sepia.server.model.releases.ReleaseStore;
import dev.sepia.server.model.releases.ReleaseVersions;
import dev.sepia.server.recovery.ClearedValueException;
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
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * /api/releases: a release freezes a project's process and variables; deployments of it run exactly
 * that. Deployers create releases; the API never shows a sensitive value, only that it is set.
 */
public final class ReleasesApi implements ApiModule {
  private final Jdbi jdbi;
  private final Barrier barrier;
  private final ReleaseStore store;
  private final ReleaseSnapshots snapshots;
  private final DeploymentQueue deployments;

  public ReleasesApi(Jdbi jdbi, Barrier barrier, DeploymentQueue deployments) {
    this.jdbi = jdbi;
    this.barrier = barrier;
    this.store = new ReleaseStore(jdbi);
    this.snapshots = new ReleaseSnapshots(barrier);
    this.deployments = deployments;
  }

  /** The body of POST /api/releases; version is optional (the next after the latest). */
  public record ReleaseRequest(String projectId, String version, String notes) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/releases", this::list);
    app.get("/api/projects/{projectId}/releases", this::listForProject);
    app.get("/api/releases/{id}", this::get);
    app.post("/api/releases", this::create);
    app.delete("/api/releases/{id}", this::delete);
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    String projectId = ctx.queryParam("projectId");
    if (projectId == null) {
      throw new ApiException(400, "Say which project: /api/releases?projectId=Projects-…");
    }
    page(ctx, project(projectId));
  }

  private void listForProject(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    page(ctx, project(ctx.pathParam("projectId")));
  }

  private void page(Context ctx, Project project) {
    Paging paging = Paging.from(ctx);
    ReleaseStore.Page page =
        store.list(project.id(), ctx.queryParam("name"), paging.skip(), paging.take());
    ctx.json(
        PagedResponse.of(
            page.items().stream().map(ReleasesApi::summary).toList(), page.totalResults(), paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Release release = existing(ctx.pathParam("id"));
    Map<String, Object> out = summary(release);
    out.put("steps", release.snapshot().steps().stream().map(ReleasesApi::step).toList());
    out.put("variables", variables(release.snapshot()));
    Map<String, Object> progression = new LinkedHashMap<>();
    progression.put(
        "deployedEnvironmentIds",
        jdbi.withHandle(h -> DeploymentStore.succeededEnvironments(h, release.id())));
    progression.put("allowedEnvironmentIds", deployments.allowedEnvironments(release));
    out.put("progression", progression);
    ctx.json(out);
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.DEPLOYER);
    ReleaseRequest request =
        JsonBody.read(
            ctx,
            ReleaseRequest.class,
            "{\"projectId\": \"Projects-…\", \"version\": \"1.0.0\" (optional), \"notes\": \"…\"}");
    if (request.projectId() == null || request.projectId().isBlank()) {
      throw new ApiException(400, "The release is not valid.", List.of("projectId: required"));
    }
    Project project = project(request.projectId());
    if (request.version() != null && !ReleaseVersions.isValid(request.version())) {
      throw new ApiException(
          400,
          "The release is not valid.",
          List.of(
              "version: letters, digits, '.', '+' and '-', at most 100 characters, e.g. 1.4.0"));
    }
    String id =
        jdbi.inTransaction(
            h -> {
              String version =
                  request.version() != null ? request.version() : nextFreeVersion(h, project);
              if (ReleaseStore.findByVersion(h, project.id(), version).isPresent()) {
                throw new ApiException(
                    409,
                    "Project '"
                        + project.name()
                        + "' already has a release "
                        + version
                        + ". Choose another version, or leave it out to take the next one.");
              }
              ReleaseSnapshots.Frozen frozen;
              try {
                frozen = snapshots.freeze(h, project);
              } catch (ClearedValueException e) {
                // Names the value and where it is set again.
                throw new ApiException(409, e.getMessage());
              } catch (GeneralSecurityException e) {
                throw new ApiException(
                    409,
                    "A sensitive value of project '"
                        + project.name()
                        + "' cannot be decrypted with this server's master key. Set the"
                        + " project's sensitive values again, then create the release.");
              }
              if (frozen.snapshot().steps().isEmpty()) {
                throw new ApiException(
                    409,
                    "Project '"
                        + project.name()
                        + "' has no deployment process yet. Add a step first (PUT"
                        + " /api/projects/"
                        + project.id()
                        + "/process).");
              }
              String releaseId =
                  ReleaseStore.insert(
                      h,
                      barrier,
                      project.id(),
                      version,
                      request.notes(),
                      frozen.snapshot(),
                      frozen.sensitiveValues(),
                      user.username());
              AuditLog.record(
                  h,
                  user.username(),
                  "ReleaseCreated",
                  "Created release " + version + " of project '" + project.name() + "'");
              return releaseId;
            });
    Release release = existing(id);
    ctx.status(201).json(summary(release));
  }

  private void delete(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    Release release = existing(ctx.pathParam("id"));
    jdbi.useTransaction(
        h -> {
          int running =
              h.createQuery(
                      "SELECT COUNT(*) FROM deployments d JOIN server_tasks t ON t.id = d.task_id"
                          + " WHERE d.release_id = :id AND t.state IN ('Queued', 'Executing')")
                  .bind("id", release.id())
                  .mapTo(Integer.class)
                  .one();
          if (running > 0) {
            throw new ApiException(
                409,
                "Release "
                    + release.version()
                    + " is being deployed; cancel or wait for the deployment first.");
          }
          ReleaseStore.delete(h, release.id());
          AuditLog.record(
              h,
              user.username(),
              "ReleaseDeleted",
              "Deleted release "
                  + release.version()
                  + " of project '"
                  + release.snapshot().projectName()
                  + "'");
        });
    ctx.status(204);
  }

  /**
   * The version after the newest release's, skipping versions already taken (an older hotfix
   * created after a newer release must not make the next automatic version a duplicate).
   */
  private static String nextFreeVersion(Handle h, Project project) {
    String version = ReleaseVersions.next(ReleaseStore.latestVersion(h, project.id()).orElse(null));
    for (int i = 0;
        i < 10_000 && ReleaseStore.findByVersion(h, project.id(), version).isPresent();
        i++) {
      version = ReleaseVersions.next(version);
    }
    return version;
  }

  private Project project(String id) {
    return new ProjectStore(jdbi)
        .find(id)
        .orElseThrow(() -> new ApiException(404, "There is no project with id " + id + "."));
  }

  private Release existing(String id) {
    return store
        .find(id)
        .orElseThrow(() -> new ApiException(404, "There is no release with id " + id + "."));
  }

  static Map<String, Object> summary(Release r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", r.id());
    out.put("projectId", r.projectId());
    out.put("projectName", r.snapshot().projectName());
    out.put("version", r.version());
    out.put("notes", r.notes());
    out.put("createdBy", r.createdBy());
    out.put("createdAt", r.createdAt().toString());
    return out;
  }

  private static Map<String, Object> step(ReleaseSnapshot.Step s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", s.name());
    out.put("kind", s.kind());
    out.put("targetRoles", s.targetRoles());
    out.put("script", s.script());
    out.put("parameters", s.parameters());
    Map<String, Object> sensitive = new LinkedHashMap<>();
    s.sensitiveParameters().keySet().forEach(name -> sensitive.put(name, Map.of("isSet", true)));
    out.put("sensitiveParameters", sensitive);
    out.put("maxParallel", s.maxParallel());
    return out;
  }

  private static List<Map<String, Object>> variables(ReleaseSnapshot snapshot) {
    return snapshot.variableSources().stream()
        .flatMap(
            source ->
                source.variables().stream()
                    .map(
                        v -> {
                          Map<String, Object> out = new LinkedHashMap<>();
                          out.put("source", source.label());
                          out.put("name", v.name());
                          out.put("value", v.sensitive() ? null : v.value());
                          out.put("isSensitive", v.sensitive());
                          if (v.sensitive()) {
                            out.put("isSet", true);
                          }
                          out.put(
                              "scope",
                              Map.of(
                                  "environments", v.environments(),
                                  "roles", v.roles(),
                                  "machines", v.machines()));
                          return out;
                        }))
        .toList();
  }
}
