package dev.sepia.server.engine.tasks;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims queued tasks from the database and runs them on a bounded pool. Polls every second; {@link
 * #wake()} makes a newly queued task start at once on this node.
 */
public final class TaskEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

  private final TaskStore store;
  private final Map<String, TaskKind> kinds;
  private final Path home;
  private final String node;
  private final Semaphore slots;
  private final ExecutorService workers;
  private final ScheduledExecutorService poller;
  private final Map<String, TaskContext> running = new ConcurrentHashMap<>();

  public TaskEngine(
      TaskStore store, Map<String, TaskKind> kinds, Path home, String node, int maxConcurrent) {
    this.store = store;
    this.kinds = Map.copyOf(kinds);
    this.home = home;
    this.node = node;
    this.slots = new Semaphore(maxConcurrent);
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            maxConcurrent,
            r -> {
              Thread t = new Thread(r, "sepia-task-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sepia-task-poller");
              t.setDaemon(true);
              return t;
            });
  }

  public void start() {
    int abandoned = store.failAbandoned(node);
    if (abandoned > 0) {
      log.warn("{} task(s) left executing by this node's last run were marked failed", abandoned);
    }
    poller.scheduleWithFixedDelay(this::pollSafely, 0, 1, TimeUnit.SECONDS);
  }

  public Map<String, TaskKind> kinds() {
    return kinds;
  }

  /** Looks for work now rather than at the next poll. */
  public void wake() {
    poller.execute(this::pollSafely);
  }

  private void pollSafely() {
    try {
      if (!running.isEmpty()) {
        for (String id : store.cancelRequested(node)) {
          TaskContext context = running.get(id);
          if (context != null) {
            context.requestCancel();
          }
        }
      }
      poll();
    } catch (RuntimeException e) {
      log.warn("Could not read the task queue: {}", e.getMessage());
    }
  }

  private void poll() {
    int free = slots.availablePermits();
    if (free == 0) {
      return;
    }
    for (String id : store.queuedIds(free)) {
      if (!slots.tryAcquire()) {
        return;
      }
      if (!store.claim(id, node)) {
        slots.release();
        continue;
      }
      workers.execute(
          () -> {
            try {
              execute(id);
            } finally {
              slots.release();
            }
          });
    }
  }

  private void execute(String id) {
    ServerTask task = store.find(id).orElseThrow();
    TaskKind kind = kinds.get(task.name());
    try (TaskLog taskLog = TaskLog.open(home, id)) {
      taskLog.info("Task " + task.description() + " started on node " + node);
      if (kind == null) {
        taskLog.error("This server does not know how to run a '" + task.name() + "' task.");
        store.finish(id, TaskState.Failed, "Unknown task kind " + task.name());
        return;
      }
      TaskContext context = new TaskContext(id, task.createdBy(), taskLog);
      running.put(id, context);
      try {
        kind.run(task.arguments(), context);
        if (context.cancelRequested()) {
          throw new TaskCancelledException();
        }
        taskLog.info("Task finished successfully");
        store.finish(id, TaskState.Success, null);
      } catch (TaskCancelledException e) {
        taskLog.warn("Task cancelled");
        store.finish(id, TaskState.Cancelled, "Cancelled by a user.");
      } catch (Exception e) {
        String message =
            taskLog
                .masker()
                .mask(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        taskLog.error("Task failed: " + message);
        store.finish(id, TaskState.Failed, message);
        if (!(e instanceof TaskFailedException)) {
          log.warn("Task {} failed", id, e);
        }
      } finally {
        running.remove(id);
      }
    } catch (RuntimeException | Error e) {
      running.remove(id);
      // Never leave a task "Executing": it would block its kind's schedule until a restart.
      log.error("Task {} could not be run", id, e);
      store.finish(id, TaskState.Failed, "The task could not be run: " + e);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
