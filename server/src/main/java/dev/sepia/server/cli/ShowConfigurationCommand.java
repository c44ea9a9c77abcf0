package dev.sepia.server.cli;

import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.OutputFormat;
import dev.sepia.platform.config.SecretMasking;
import dev.sepia.server.config.ServerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "show-configuration",
    description = "Shows this instance's settings. Secrets are never printed.")
final class ShowConfigurationCommand extends InstanceCommand {
  @Option(names = "--format", defaultValue = "text", description = "text or json.")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = config();
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("Sepia.Instance", config.instanceName());
    shown.put("Sepia.ConfigFile", config.configPath().toString());
    for (Map.Entry<String, String> e : config.file().entries().entrySet()) {
      shown.put(e.getKey(), display(config, e.getKey(), e.getValue()));
    }
    if (format == OutputFormat.JSON) {
      out().println(Json.mapper().writeValueAsString(shown));
    } else {
      shown.forEach((k, v) -> out().println(k + " = " + v));
    }
    return 0;
  }

  private static String display(ServerConfig config, String key, String value) {
    if (ServerConfig.CONNECTION_STRING.equals(key)) {
      try {
        return SecretMasking.maskConnectionString(config.connectionString());
      } catch (OperatorException e) {
        return "<protected on another machine>";
      }
    }
    if (ServerConfig.MASTER_KEY.equals(key)) {
      return "<set; shown only by show-master-key>";
    }
    return SecretMasking.looksSecretKey(key) ? "<masked>" : value;
  }
}
