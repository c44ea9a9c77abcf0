package dev.sepia.server.cli;

import dev.sepia.server.startup.ServerRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    description =
        "Runs the server in the foreground until stopped (Ctrl-C or SIGTERM). Checks the master"
            + " key and the database before it writes anything.")
final class RunCommand extends InstanceCommand {
  @Option(
      names = "--console",
      description = "Accepted for compatibility: run always stays in the foreground.")
  boolean console;

  @Override
  public Integer call() throws InterruptedException {
    ServerRuntime runtime = ServerRuntime.start(environment(), instance());
    Thread hook = new Thread(runtime::close, "sepia-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    runtime.awaitStop();
    return 0;
  }
}
