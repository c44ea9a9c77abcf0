package dev.sepia.server.engine.deployments;

import dev.sepia.comms.contract.ScriptLogLine;
import dev.sepia.comms.contract.ScriptState;
import dev.sepia.comms.contract.ScriptStatus;
import dev.sepia.comms.contract.StartScriptCommand;
import dev.sepia.comms.contract.TentacleClient;
import dev.sepia.comms.rpc.RpcChannel;
import dev.sepia.server.comms.ServerComms;
import dev.sepia.server.engine.tasks.TaskCancelledException;
import dev.sepia.server.engine.tasks.TaskContext;
import dev.sepia.server.engine.tasks.TaskFailedException;
import dev.sepia.server.model.machines.Machine;
import java.util.List;
import java.util.Map;

/** Runs scripts on listening and polling Tentacles through the script service. */
final class TentacleScriptExecutor implements ScriptExecutor {
  private static final long POLL_MILLIS = 300;

  private final ServerComms comms;

  TentacleScriptExecutor(ServerComms comms) {
    this.comms = comms;
  }

  @Override
  public int run(Machine target, String ticket, String script, Output output, TaskContext context)
      throws Exception {
    try (RpcChannel channel = comms.channelFor(target)) {
      TentacleClient tentacle = new TentacleClient(channel);
      ScriptStatus status =
          tentacle.startScript(
              new StartScriptCommand(ticket, script, "bash", Map.of(), List.of(), 0));
      long seen = 0;
      boolean cancelSent = false;
      while (true) {
        seen = emit(status, seen, output);
        if (status.state().isFinished() && status.logs().isEmpty()) {
          break;
        }
        if (!status.state().isFinished()) {
          if (context.cancelRequested() && !cancelSent) {
            tentacle.cancel(ticket);
            cancelSent = true;
          }
          Thread.sleep(POLL_MILLIS);
        }
        status = tentacle.status(ticket, seen);
      }
      tentacle.complete(ticket);
      if (status.state() == ScriptState.CANCELLED || cancelSent) {
        throw new TaskCancelledException();
      }
      if (status.state() == ScriptState.TIMED_OUT) {
        throw new TaskFailedException("The script ran past its time limit and was stopped.");
      }
      return status.exitCode() == null ? -1 : status.exitCode();
    }
  }

  private static long emit(ScriptStatus status, long seen, Output output) {
    long last = seen;
    for (ScriptLogLine line : status.logs()) {
      if (line.sequence() > last) {
        output.line(line.text(), ScriptLogLine.STDERR.equals(line.source()));
        last = line.sequence();
      }
    }
    return Math.max(last, status.lastSequence());
  }
}
