package dev.sepia.server.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.ConfigFile;
import dev.sepia.platform.instance.InstanceRegistry;
import dev.sepia.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "create-instance",
    mixinStandardHelpOptions = true,
    description = "Registers a new server instance on this machine and writes its config file.")
final class CreateInstanceCommand implements Callable<Integer> {
  @ParentCommand ServerMain main;
  @Spec CommandSpec spec;

  @Option(
      names = "--instance",
      defaultValue = "Default",
      description = "Name of the new instance (default: ${DEFAULT-VALUE}).")
  String instance;

  @Option(
      names = "--config",
      required = true,
      description = "Path of the config file to create, e.g. /etc/sepia/Default.config.json.")
  Path config;

  @Option(
      names = "--home",
      description =
          "Home folder for task logs, artifacts and reports (default: the config file's"
              + " folder).")
  Path home;

  @Option(
      names = "--serverNodeName",
      description = "Name of this server node (default: the machine's host name).")
  String nodeName;

  @Override
  public Integer call() throws IOException {
    InstanceRegistry registry = main.environment().registry();
    Path configFile = config.toAbsolutePath().normalize();
    registry
        .find(instance)
        .ifPresent(
            existing -> {
              throw new OperatorException(
                  "An instance named '"
                      + existing.name()
                      + "' already exists (config: "
                      + existing.configFile()
                      + "). Choose another --instance name, or run delete-instance --instance "
                      + existing.name()
                      + " first.");
            });
    if (Files.exists(configFile)) {
      throw new OperatorException(
          "The config file "
              + configFile
              + " already exists. Choose another --config path, or remove that file if it is no"
              + " longer used.");
    }
    Path homeDir = (home == null ? configFile.getParent() : home).toAbsolutePath().normalize();
    // Make sure the machine key exists now, so the first secret saved can be protected.
    main.environment().machineKey();
    ConfigFile file = ConfigFile.createNew(configFile);
    file.set(ServerConfig.HOME, homeDir.toString());
    file.set(ServerConfig.NODE_NAME, nodeName != null ? nodeName : hostName());
    file.set(ServerConfig.LISTEN_PREFIXES, ServerConfig.DEFAULT_LISTEN_PREFIX);
    file.set(ServerConfig.COMMS_PORT, Integer.toString(ServerConfig.DEFAULT_COMMS_PORT));
    file.save();
    try {
      registry.add(instance, configFile);
      Files.createDirectories(homeDir);
    } catch (RuntimeException | IOException e) {
      Files.deleteIfExists(configFile);
      throw e;
    }
    var out = spec.commandLine().getOut();
    out.println("Created instance '" + instance + "'.");
    out.println("  Config: " + configFile);
    out.println("  Home:   " + homeDir);
    out.println(
        "Next: sepia-server database --instance "
            + instance
            + " --connectionString \"jdbc:h2:file:"
            + homeDir.resolve("db").resolve("sepia")
            + "\" --create");
    return 0;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
