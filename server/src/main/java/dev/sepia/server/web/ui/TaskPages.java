package dev.sepia.server.web.ui;

import dev.sepia.server.engine.tasks.ServerTask;
import dev.sepia.server.engine.tasks.TaskState;
import dev.sepia.server.engine.tasks.TaskStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * /tasks: the task history, and one task's page whose log follows the task live (server-sent events
 * from /api/tasks/{id}/stream), with Cancel and Retry.
 */
public final class TaskPages implements ApiModule {
  static final int PAGE_SIZE = 30;

  private final Pages pages;

  public TaskPages(Pages pages) {
    this.pages = pages;
  }

  /** A task with its moments in words and what may be done with it. */
  public record TaskView(ServerTask task) {
    public String state() {
      return task.state().name();
    }

    public String queuedAt() {
      return WhenText.of(task.queuedAt());
    }

    public String startedAt() {
      return WhenText.of(task.startedAt());
    }

    public String completedAt() {
      return WhenText.of(task.completedAt());
    }

    public boolean cancellable() {
      return !task.state().isFinished();
    }

    public boolean retryable() {
      return task.state() == TaskState.Failed || task.state() == TaskState.Cancelled;
    }
  }

  /** Links to the previous and next page of a list, or null where there is none. */
  public record PageLinks(String previous, String next, int from, int to, int total) {
    static PageLinks of(String base, int skip, int take, int shown, int total) {
      String sep = base.contains("?") ? "&" : "?";
      String previous =
          skip > 0 ? base + sep + "skip=" + Math.max(0, skip - take) + "&take=" + take : null;
      String next =
          skip + shown < total ? base + sep + "skip=" + (skip + take) + "&take=" + take : null;
      return new PageLinks(previous, next, shown == 0 ? 0 : skip + 1, skip + shown, total);
    }
  }

  @Override
  public void register(Javalin app) {
    app.get("/tasks", this::list);
    app.get("/tasks/{id}", this::show);
  }

  private void list(Context ctx) {
    int skip = number(ctx, "skip", 0, 0, Integer.MAX_VALUE);
    int take = number(ctx, "take", PAGE_SIZE, 1, 1000);
    TaskStore store = new TaskStore(pages.jdbi());
    List<TaskView> tasks = store.latest(skip, take).stream().map(TaskView::new).toList();
    pages.render(
        ctx,
        "tasks.jte",
        pages.frame(ctx, "Tasks", "tasks"),
        Map.of(
            "tasks",
            tasks,
            "links",
            PageLinks.of("/tasks", skip, take, tasks.size(), store.count())));
  }

  private void show(Context ctx) {
    ServerTask task = new TaskStore(pages.jdbi()).find(ctx.pathParam("id")).orElse(null);
    if (task == null) {
      pages.notFound(ctx, "There is no such task.", "/tasks", "Tasks");
      return;
    }
    pages.render(
        ctx,
        "task.jte",
        pages.frame(ctx, task.description(), "tasks"),
        Map.of("view", new TaskView(task)));
  }

  /** A whole-number query parameter, clamped to its range; anything unreadable is the default. */
  static int number(Context ctx, String name, int dflt, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return dflt;
    }
    try {
      return Math.max(min, Math.min(max, Integer.parseInt(raw.trim())));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
