package dev.sepia.server.web.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.engine.backups.BackupStatus;
import dev.sepia.server.engine.backups.BackupTask;
import dev.sepia.server.engine.tasks.ServerTask;
import dev.sepia.server.engine.tasks.TaskEngine;
import dev.sepia.server.engine.tasks.TaskStore;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiException;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * /api/configuration/backups: the backup schedule, retention, folder, next run and last result; and
 * a way for administrators to back up now. The schedule itself is set with {@code sepia-server
 * configure --backupSchedule}.
 */
public final class BackupsApi implements ApiModule {
  private final Jdbi jdbi;
  private final TaskEngine engine;
  private final Path home;
  private final ZoneId zone;
  private final Clock clock;

  public BackupsApi(Jdbi jdbi, TaskEngine engine, Path home, ZoneId zone, Clock clock) {
    this.jdbi = jdbi;
    this.engine = engine;
    this.home = home;
    this.zone = zone;
    this.clock = clock;
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/configuration/backups", this::get);
    app.post("/api/configuration/backups/run", this::run);
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.ADMINISTRATOR);
    ctx.json(describe(BackupStatus.read(jdbi, home, zone, clock.instant())));
  }

  private void run(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    TaskStore store = new TaskStore(jdbi);
    if (store.hasUnfinished(BackupTask.NAME)) {
      ServerTask running = store.latestOf(BackupTask.NAME).orElseThrow();
      throw new ApiException(
          409,
          "A backup is already queued or running (task "
              + running.id()
              + "). Wait for it to finish, then try again.");
    }
    String description = engine.kinds().get(BackupTask.NAME).describe(emptyArguments());
    ServerTask task =
        store.enqueue(BackupTask.NAME, description, emptyArguments(), user.username());
    new AuditLog(jdbi)
        .record(user.username(), "BackupRequested", "Queued backup task " + task.id());
    engine.wake();
    ctx.status(201).json(TasksApi.describe(task));
  }

  private static ObjectNode emptyArguments() {
    return JsonNodeFactory.instance.objectNode();
  }

  static Map<String, Object> describe(BackupStatus status) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("schedule", status.schedule());
    out.put("scheduleDescription", status.scheduleDescription());
    out.put("scheduleProblem", status.scheduleProblem());
    out.put("timeZone", status.timeZone().getId());
    out.put("retention", status.retention());
    out.put("retentionDescription", status.retentionDescription());
    out.put("folder", status.folder().toString());
    out.put("nextRunAt", status.nextRunAt() == null ? null : status.nextRunAt().toString());
    out.put("lastTask", status.last().map(TasksApi::describe).orElse(null));
    out.put("lastSuccess", status.lastSuccess());
    return out;
  }
}
