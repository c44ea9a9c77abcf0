package dev.sepia.server.engine.deployments;

import dev.sepia.server.engine.ssh.SshFailure;
import dev.sepia.server.engine.ssh.SshTargetConnections;
import dev.sepia.server.engine.ssh.SshTargets;
import dev.sepia.server.engine.tasks.TaskCancelledException;
import dev.sepia.server.engine.tasks.TaskContext;
import dev.sepia.server.engine.tasks.TaskFailedException;
import dev.sepia.server.model.machines.Machine;

/** Runs scripts on SSH targets, signing in with the target's account. */
final class SshScriptExecutor implements ScriptExecutor {
  private final SshTargets ssh;
  private final SshTargetConnections connections;

  SshScriptExecutor(SshTargets ssh, SshTargetConnections connections) {
    this.ssh = ssh;
    this.connections = connections;
  }

  @Override
  public int run(Machine target, String ticket, String script, Output output, TaskContext context)
      throws Exception {
    SshTargetConnections.Connection connection = connections.forTarget(target);
    try {
      return ssh.runScript(
          connection.endpoint(),
          connection.credentials(),
          script,
          line -> output.line(line, false),
          context::cancelRequested);
    } catch (SshFailure e) {
      if (e.kind() == SshFailure.Kind.CANCELLED) {
        throw new TaskCancelledException();
      }
      throw new TaskFailedException(e.getMessage());
    } finally {
      connection.wipe();
    }
  }
}
