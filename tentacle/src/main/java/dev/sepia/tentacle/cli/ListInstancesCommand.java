package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.OutputFormat;
import dev.sepia.platform.instance.InstanceListing;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "list-instances",
    mixinStandardHelpOptions = true,
    description = "Lists the Tentacle instances registered on this machine.")
final class ListInstancesCommand implements Callable<Integer> {
  @ParentCommand TentacleMain main;
  @Spec CommandSpec spec;

  @Option(names = "--format", defaultValue = "text", description = "text or json.")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    InstanceListing.print(
        main.environment().registry().list(),
        format,
        "sepia-tentacle",
        spec.commandLine().getOut());
    return 0;
  }
}
