package dev.sepia.tentacle.cli;

import dev.sepia.tentacle.agent.TentacleAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "agent",
    description =
        "Runs the Tentacle in the foreground until stopped (Ctrl-C or SIGTERM): listens for its"
            + " trusted servers and polls those it is told to poll.")
final class AgentCommand extends InstanceCommand {
  @Option(
      names = "--console",
      description = "Accepted for compatibility: agent always stays in the foreground.")
  boolean console;

  @Override
  public Integer call() throws InterruptedException {
    TentacleAgent agent = TentacleAgent.start(config());
    Thread hook = new Thread(agent::close, "sepia-tentacle-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    agent.awaitStop();
    return 0;
  }
}
