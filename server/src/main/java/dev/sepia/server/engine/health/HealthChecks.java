package dev.sepia.server.engine.health;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.server.engine.tasks.ServerTask;
import dev.sepia.server.engine.tasks.TaskEngine;
import dev.sepia.server.engine.tasks.TaskStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues health checks: one for a target as soon as it is added, and one for every target at a
 * fixed interval (skipped when a health check is already waiting or running, so several nodes
 * sharing the database do not pile them up).
 */
public final class HealthChecks implements AutoCloseable {
  public static final Duration INTERVAL = Duration.ofHours(1);
  private static final Logger log = LoggerFactory.getLogger(HealthChecks.class);

  private final TaskStore tasks;
  private final TaskEngine engine;
  private final ScheduledExecutorService timer;

  public HealthChecks(TaskStore tasks, TaskEngine engine) {
    this.tasks = tasks;
    this.engine = engine;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sepia-health-schedule");
              t.setDaemon(true);
              return t;
            });
  }

  public void start() {
    long minutes = INTERVAL.toMinutes();
    timer.scheduleAtFixedRate(this::queueScheduled, minutes, minutes, TimeUnit.MINUTES);
  }

  /** Queues a check of the given targets (all when empty). */
  public ServerTask queue(List<String> machineIds, String requestedBy) {
    ObjectNode arguments = JsonNodeFactory.instance.objectNode();
    if (!machineIds.isEmpty()) {
      machineIds.forEach(arguments.putArray("machineIds")::add);
    }
    String description =
        machineIds.isEmpty()
            ? "Check the health of all targets"
            : "Check the health of " + machineIds.size() + " target(s)";
    ServerTask task = tasks.enqueue(HealthCheckTask.NAME, description, arguments, requestedBy);
    engine.wake();
    return task;
  }

  private void queueScheduled() {
    try {
      if (!tasks.hasUnfinished(HealthCheckTask.NAME)) {
        queue(List.of(), "system");
      }
    } catch (RuntimeException e) {
      log.warn("Could not queue the scheduled health check: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
