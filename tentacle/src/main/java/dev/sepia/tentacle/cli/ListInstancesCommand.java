package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OutputFormat;
import dev.sepia.platform.instance.InstanceRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    List<InstanceRecord> instances = main.environment().registry().list();
    var out = spec.commandLine().getOut();
    if (format == OutputFormat.JSON) {
      List<Map<String, String>> rows =
          instances.stream()
              .map(
                  i -> {
                    Map<String, String> row = new LinkedHashMap<>();
                    row.put("name", i.name());
                    row.put("configFile", i.configFile().toString());
                    return row;
                  })
              .toList();
      out.println(Json.mapper().writeValueAsString(rows));
      return 0;
    }
    if (instances.isEmpty()) {
      out.println(
          "No Tentacle instances on this machine. Create one with: sepia-tentacle create-instance"
              + " --instance Default --config FILE");
    }
    for (InstanceRecord i : instances) {
      out.println("Instance '" + i.name() + "' uses configuration '" + i.configFile() + "'");
    }
    return 0;
  }
}
