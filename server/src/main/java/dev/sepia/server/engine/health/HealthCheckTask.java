package dev.sepia.server.engine.health;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.engine.tasks.TaskContext;
import dev.sepia.server.engine.tasks.TaskFailedException;
import dev.sepia.server.engine.tasks.TaskKind;
import dev.sepia.server.engine.tasks.TaskLog;
import dev.sepia.server.model.machines.HealthStatus;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.machines.MachineStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "Health" task: checks every target, or those listed in {@code machineIds}, concurrently but
 * bounded, so hundreds of targets take seconds without opening hundreds of sockets at once.
 */
public final class HealthCheckTask implements TaskKind {
  public static final String NAME = "Health";
  static final int MAX_PARALLEL = 64;

  private final MachineStore machines;
  private final TargetHealthChecker checker;

  public HealthCheckTask(MachineStore machines, TargetHealthChecker checker) {
    this.machines = machines;
    this.checker = checker;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String describe(JsonNode arguments) {
    List<String> ids = machineIds(arguments);
    for (String id : ids) {
      if (machines.find(id).isEmpty()) {
        throw new IllegalArgumentException("There is no target with id " + id + ".");
      }
    }
    return ids.isEmpty()
        ? "Check the health of all targets"
        : "Check the health of " + ids.size() + " target(s)";
  }

  @Override
  public void run(JsonNode arguments, TaskContext context) throws Exception {
    TaskLog log = context.log();
    List<String> ids = machineIds(arguments);
    Set<String> wanted = new HashSet<>(ids);
    List<Machine> targets =
        machines.all().stream().filter(m -> wanted.isEmpty() || wanted.contains(m.id())).toList();
    if (targets.isEmpty()) {
      log.info("There are no targets to check.");
      return;
    }
    log.info("Checking " + targets.size() + " target(s)…");
    AtomicInteger failures = new AtomicInteger();
    int parallel = Math.min(MAX_PARALLEL, targets.size());
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallel,
            r -> {
              Thread t = new Thread(r, "sepia-health-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Machine machine : targets) {
        futures.add(
            pool.submit(
                () -> {
                  HealthResult result = checker.check(machine);
                  machines.recordHealth(
                      machine.id(),
                      result.status(),
                      result.connectivity(),
                      result.reason(),
                      result.agentVersion());
                  String line = machine.name() + ": " + result.status() + " — " + result.reason();
                  if (result.status() == HealthStatus.Healthy) {
                    log.info(line);
                  } else {
                    failures.incrementAndGet();
                    log.warn(line);
                  }
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("A health check failed unexpectedly", e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (failures.get() > 0) {
      throw new TaskFailedException(
          failures.get() + " of " + targets.size() + " target(s) are not healthy; see the log.");
    }
    log.info("All " + targets.size() + " target(s) are healthy.");
  }

  private static List<String> machineIds(JsonNode arguments) {
    List<String> ids = new ArrayList<>();
    JsonNode node = arguments == null ? null : arguments.get("machineIds");
    if (node != null && node.isArray()) {
      node.forEach(n -> ids.add(n.asText()));
    } else if (node != null && !node.isNull()) {
      throw new IllegalArgumentException("machineIds must be a list of target ids.");
    }
    return ids;
  }
}
