package dev.sepia.server.web.api;

import dev.sepia.server.engine.deployments.DeploymentQueue;
import dev.sepia.server.engine.deployments.DeploymentRefusedException;
import dev.sepia.server.engine.tasks.TaskStore;
import dev.sepia.server.model.deployments.Deployment;
import dev.sepia.server.model.deployments.DeploymentStore;
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
import org.jdbi.v3.core.Jdbi;

/**
 * /api/deployments: deploy a release to an environment (Deployers), follow deployments. A
 * deployment runs as a server task; its log is at /api/tasks/{taskId}/raw and /stream.
 */
public final class DeploymentsApi implements ApiModule {
  private final DeploymentStore store;
  private final TaskStore tasks;
  private final DeploymentQueue queue;

  public DeploymentsApi(Jdbi jdbi, DeploymentQueue queue) {
    this.store = new DeploymentStore(jdbi);
    this.tasks = new TaskStore(jdbi);
    this.queue = queue;
  }

  /** The body of POST /api/deployments. */
  public record DeploymentRequest(String releaseId, String environmentId) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/deployments", this::list);
    app.get("/api/deployments/{id}", this::get);
    app.post("/api/deployments", this::create);
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.DEPLOYER);
    DeploymentRequest request =
        JsonBody.read(
            ctx,
            DeploymentRequest.class,
            "{\"releaseId\": \"Releases-…\", \"environmentId\": \"Environments-…\"}");
    List<String> problems = new ArrayList<>();
    if (request.releaseId() == null || request.releaseId().isBlank()) {
      problems.add("releaseId: required");
    }
    if (request.environmentId() == null || request.environmentId().isBlank()) {
      problems.add("environmentId: required");
    }
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The deployment is not valid.", problems);
    }
    Deployment deployment;
    try {
      deployment = queue.deploy(request.releaseId(), request.environmentId(), user.username());
    } catch (DeploymentRefusedException e) {
      throw new ApiException(e.status(), e.getMessage());
    }
    ctx.status(201).json(describe(deployment));
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    DeploymentStore.Page page =
        store.list(
            ctx.queryParam("projectId"),
            ctx.queryParam("releaseId"),
            ctx.queryParam("environmentId"),
            paging.skip(),
            paging.take());
    ctx.json(
        PagedResponse.of(
            page.items().stream().map(DeploymentsApi::describe).toList(),
            page.totalResults(),
            paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Deployment deployment =
        store
            .find(ctx.pathParam("id"))
            .orElseThrow(
                () ->
                    new ApiException(
                        404, "There is no deployment with id " + ctx.pathParam("id") + "."));
    Map<String, Object> out = describe(deployment);
    tasks.find(deployment.taskId()).ifPresent(t -> out.put("task", TasksApi.describe(t)));
    ctx.json(out);
  }

  static Map<String, Object> describe(Deployment d) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", d.id());
    out.put("releaseId", d.releaseId());
    out.put("projectId", d.projectId());
    out.put("environmentId", d.environmentId());
    out.put("taskId", d.taskId());
    out.put("state", d.state().name());
    out.put("createdBy", d.createdBy());
    out.put("createdAt", d.createdAt().toString());
    return out;
  }
}
