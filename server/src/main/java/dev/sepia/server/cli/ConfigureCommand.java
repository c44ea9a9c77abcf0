package dev.sepia.server.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.startup.ListenPrefix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "configure",
    description =
        "Changes settings of this instance. Changes take effect when the server restarts.")
final class ConfigureCommand extends InstanceCommand {
  @Option(names = "--home", description = "Home folder for task logs, artifacts and reports.")
  Path home;

  @Option(
      names = "--webListenPrefixes",
      description = "Where the web portal and API listen, e.g. http://0.0.0.0:8050.")
  String webListenPrefixes;

  @Option(
      names = "--commsListenPort",
      description = "TCP port polling Tentacles connect to (default 10943).")
  Integer commsListenPort;

  @Option(names = "--serverNodeName", description = "Name of this server node.")
  String nodeName;

  @Override
  public Integer call() {
    // Validate everything before changing anything.
    if (webListenPrefixes != null) {
      ListenPrefix.parse(webListenPrefixes);
    }
    if (commsListenPort != null && (commsListenPort < 1 || commsListenPort > 65535)) {
      throw new OperatorException(
          "--commsListenPort must be between 1 and 65535 (the default is 10943).", 2);
    }
    if (nodeName != null && nodeName.isBlank()) {
      throw new OperatorException("--serverNodeName cannot be empty.", 2);
    }
    if (home == null && webListenPrefixes == null && commsListenPort == null && nodeName == null) {
      throw new OperatorException(
          "Nothing to change: pass --home, --webListenPrefixes, --commsListenPort or"
              + " --serverNodeName.",
          2);
    }
    ServerConfig config = config();
    List<String> changes = new ArrayList<>();
    if (home != null) {
      String value = home.toAbsolutePath().normalize().toString();
      config.file().set(ServerConfig.HOME, value);
      changes.add("Home folder: " + value);
    }
    if (webListenPrefixes != null) {
      config.file().set(ServerConfig.LISTEN_PREFIXES, webListenPrefixes.trim());
      changes.add("Web listen prefix: " + webListenPrefixes.trim());
    }
    if (commsListenPort != null) {
      config.file().set(ServerConfig.COMMS_PORT, commsListenPort.toString());
      changes.add("Polling comms port: " + commsListenPort);
    }
    if (nodeName != null) {
      config.file().set(ServerConfig.NODE_NAME, nodeName.trim());
      changes.add("Node name: " + nodeName.trim());
    }
    config.save();
    changes.forEach(c -> out().println(c));
    out().println("These changes require a restart of the Sepia server.");
    return 0;
  }
}
