package dev.sepia.server.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.engine.tasks.ServerTask;
import dev.sepia.server.engine.tasks.TaskEngine;
import dev.sepia.server.engine.tasks.TaskKind;
import dev.sepia.server.engine.tasks.TaskLog;
import dev.sepia.server.engine.tasks.TaskRefusedException;
import dev.sepia.server.engine.tasks.TaskState;
import dev.sepia.server.engine.tasks.TaskStore;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiException;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.JsonBody;
import dev.sepia.server.web.Paging;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** /api/tasks: queue server tasks (such as "Health"), follow them, read their logs. */
public final class TasksApi implements ApiModule {
  private final TaskStore store;
  private final TaskEngine engine;
  private final AuditLog audit;
  private final Path home;

  public TasksApi(Jdbi jdbi, TaskEngine engine, Path home) {
    this.store = new TaskStore(jdbi);
    this.engine = engine;
    this.audit = new AuditLog(jdbi);
    this.home = home;
  }

  @Override
  public void register(Javalin app) {
    app.post("/api/tasks", this::create);
    app.get("/api/tasks", this::list);
    app.get("/api/tasks/{id}", this::get);
    app.get("/api/tasks/{id}/raw", this::raw);
    app.get("/api/tasks/{id}/stream", this::stream);
    app.post("/api/tasks/{id}/cancel", this::cancel);
    app.post("/api/tasks/{id}/retry", this::retry);
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.DEPLOYER);
    JsonNode body =
        JsonBody.read(ctx, JsonNode.class, "{\"name\": \"Health\", \"arguments\": {…}}");
    String name = body.get("name") == null ? "" : body.get("name").asText();
    TaskKind kind = engine.kinds().get(name);
    if (kind == null) {
      throw new ApiException(
          400,
          "Unknown task name '"
              + name
              + "'. Known tasks: "
              + String.join(", ", engine.kinds().keySet())
              + ".");
    }
    JsonNode arguments =
        body.get("arguments") == null
            ? JsonNodeFactory.instance.objectNode()
            : body.get("arguments");
    String description;
    try {
      description = kind.describe(arguments);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
    ServerTask task = store.enqueue(kind.name(), description, arguments, user.username());
    audit.record(user.username(), "TaskQueued", "Queued task " + task.id() + ": " + description);
    engine.wake();
    ctx.status(201).json(describe(task));
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    List<Map<String, Object>> items =
        store.latest(paging.skip(), paging.take()).stream().map(TasksApi::describe).toList();
    ctx.json(PagedResponse.of(items, store.count(), paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.json(describe(existing(ctx.pathParam("id"))));
  }

  private void raw(Context ctx) throws IOException {
    Access.require(ctx, Role.VIEWER);
    ServerTask task = existing(ctx.pathParam("id"));
    Path file = TaskLog.file(home, task.id());
    ctx.contentType("text/plain; charset=utf-8");
    ctx.result(Files.exists(file) ? Files.readString(file) : "");
  }

  /**
   * Server-sent events: every log line as a "line" event (its id is the line number, so a client
   * that reconnects with Last-Event-ID misses nothing), then one "state" event when the task ends.
   */
  private void stream(Context ctx) throws Exception {
    Access.require(ctx, Role.VIEWER);
    ServerTask task = existing(ctx.pathParam("id"));
    long after = lastEventId(ctx);
    new SseHandler(client -> new TaskLogFollower(store, home, task.id(), after).follow(client))
        .handle(ctx);
  }

  private static long lastEventId(Context ctx) {
    String header = ctx.header("Last-Event-ID");
    if (header == null || header.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      throw new ApiException(400, "Last-Event-ID must be the number of the last line received.");
    }
  }

  private void cancel(Context ctx) {
    User user = Access.require(ctx, Role.DEPLOYER);
    ServerTask task = existing(ctx.pathParam("id"));
    if (task.state() == TaskState.Queued && store.cancelQueued(task.id())) {
      audit.record(user.username(), "TaskCancelled", "Cancelled task " + task.id());
    } else if (store.requestCancel(task.id())) {
      audit.record(
          user.username(), "TaskCancelRequested", "Asked to cancel running task " + task.id());
      engine.wake();
    } else {
      ServerTask now = existing(task.id());
      throw new ApiException(
          409, "Task " + task.id() + " has already finished (" + now.state() + ").");
    }
    ctx.json(describe(existing(task.id())));
  }

  private void retry(Context ctx) {
    User user = Access.require(ctx, Role.DEPLOYER);
    ServerTask task = existing(ctx.pathParam("id"));
    if (task.state() != TaskState.Failed && task.state() != TaskState.Cancelled) {
      throw new ApiException(
          409,
          "Task "
              + task.id()
              + " is "
              + task.state()
              + "; only a failed or cancelled task can be retried.");
    }
    TaskKind kind = engine.kinds().get(task.name());
    if (kind == null) {
      throw new ApiException(409, "This server cannot run '" + task.name() + "' tasks.");
    }
    ServerTask again;
    try {
      again = kind.retry(task, user.username(), store);
    } catch (TaskRefusedException e) {
      throw new ApiException(e.status(), e.getMessage());
    }
    audit.record(user.username(), "TaskRetried", "Retried task " + task.id() + " as " + again.id());
    engine.wake();
    ctx.status(201).json(describe(again));
  }

  private ServerTask existing(String id) {
    return store
        .find(id)
        .orElseThrow(() -> new ApiException(404, "There is no task with id " + id + "."));
  }

  static Map<String, Object> describe(ServerTask t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", t.id());
    out.put("name", t.name());
    out.put("description", t.description());
    out.put("arguments", t.arguments());
    out.put("state", t.state().name());
    out.put("isCompleted", t.state().isFinished());
    out.put("createdBy", t.createdBy());
    out.put("queuedAt", str(t.queuedAt()));
    out.put("startedAt", str(t.startedAt()));
    out.put("completedAt", str(t.completedAt()));
    out.put("errorMessage", t.errorMessage());
    out.put(
        "links",
        Map.of(
            "raw", "/api/tasks/" + t.id() + "/raw", "stream", "/api/tasks/" + t.id() + "/stream"));
    return out;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
