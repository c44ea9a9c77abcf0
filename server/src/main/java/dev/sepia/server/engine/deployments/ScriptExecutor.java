package dev.sepia.server.engine.deployments;

import dev.sepia.server.engine.tasks.TaskContext;
import dev.sepia.server.model.machines.Machine;

/** Runs one step's script on one target and reports its output line by line. */
interface ScriptExecutor {

  /** A line of output; {@code error} for the script's standard error. */
  interface Output {
    void line(String text, boolean error);
  }

  /**
   * Runs the script and returns its exit code. Stops the script and throws {@link
   * dev.sepia.server.engine.tasks.TaskCancelledException} when the task is cancelled.
   *
   * @param ticket unique per task, step and target, so a retried start never runs twice
   */
  int run(Machine target, String ticket, String script, Output output, TaskContext context)
      throws Exception;
}
