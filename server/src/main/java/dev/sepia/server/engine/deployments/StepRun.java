package dev.sepia.server.engine.deployments;

import dev.sepia.server.engine.tasks.TaskCancelledException;
import dev.sepia.server.engine.tasks.TaskContext;
import dev.sepia.server.engine.tasks.TaskFailedException;
import dev.sepia.server.engine.tasks.TaskLog;
import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.Machine;
import dev.sepia.server.model.releases.ReleaseSnapshot;
import dev.sepia.variables.Evaluated;
import dev.sepia.variables.SubstitutionException;
import dev.sepia.variables.VariableDictionary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One step on its targets: the script is substituted per target, then run on up to {@code
 * maxParallel} targets at once. Every target is tried; the step fails if any target fails.
 */
final class StepRun {
  private final ReleaseSnapshot.Step step;
  private final int number;
  private final List<Machine> targets;
  private final TargetVariables variables;
  private final Map<String, String> opened;
  private final Map<CommunicationStyle, ScriptExecutor> executors;
  private final TaskContext context;
  private final TaskLog log;

  StepRun(
      ReleaseSnapshot.Step step,
      int number,
      List<Machine> targets,
      TargetVariables variables,
      Map<String, String> opened,
      Map<CommunicationStyle, ScriptExecutor> executors,
      TaskContext context) {
    this.step = step;
    this.number = number;
    this.targets = targets;
    this.variables = variables;
    this.opened = opened;
    this.executors = executors;
    this.context = context;
    this.log = context.log();
  }

  void run() throws TaskFailedException, TaskCancelledException, InterruptedException {
    int parallel = Math.max(1, Math.min(step.maxParallel(), targets.size()));
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallel,
            r -> {
              Thread t = new Thread(r, "sepia-deploy-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    boolean cancelled = false;
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        Machine target = targets.get(i);
        String ticket = context.taskId() + "." + number + "." + (i + 1);
        futures.add(pool.submit(() -> runOn(target, ticket, failures)));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof TaskCancelledException) {
            cancelled = true;
          } else {
            throw new IllegalStateException("Running a step failed unexpectedly", e.getCause());
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (cancelled || context.cancelRequested()) {
      throw new TaskCancelledException();
    }
    if (!failures.isEmpty()) {
      throw new TaskFailedException(
          "Step '" + step.name() + "' failed on " + String.join("; ", failures) + ".");
    }
  }

  private Void runOn(Machine target, String ticket, List<String> failures)
      throws TaskCancelledException {
    String prefix = "[" + target.name() + "] ";
    if (context.cancelRequested()) {
      throw new TaskCancelledException();
    }
    String script;
    try {
      VariableDictionary dictionary =
          TargetVariables.forStep(variables.forTarget(target), step, opened);
      log.addSecrets(dictionary.sensitiveValues());
      Evaluated evaluated = dictionary.evaluate(step.script());
      log.addSecrets(evaluated.derivedSecrets());
      script = evaluated.text();
    } catch (SubstitutionException e) {
      log.error(prefix + "The script could not be prepared: " + e.getMessage());
      failures.add(target.name() + " (" + e.getMessage() + ")");
      return null;
    }
    ScriptExecutor executor = executors.get(target.communicationStyle());
    if (executor == null) {
      failures.add(target.name() + " (cannot run scripts on " + target.communicationStyle() + ")");
      return null;
    }
    log.info(prefix + "Running '" + step.name() + "'");
    try {
      int exitCode =
          executor.run(
              target,
              ticket,
              script,
              (text, error) -> {
                if (error) {
                  log.warn(prefix + text);
                } else {
                  log.info(prefix + text);
                }
              },
              context);
      if (exitCode != 0) {
        log.error(prefix + "The script failed with exit code " + exitCode);
        failures.add(target.name() + " (exit code " + exitCode + ")");
      } else {
        log.info(prefix + "Done");
      }
    } catch (TaskCancelledException e) {
      log.warn(prefix + "Cancelled");
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add(target.name() + " (interrupted)");
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      log.error(prefix + message);
      failures.add(target.name() + " (" + message + ")");
    }
    return null;
  }
}
