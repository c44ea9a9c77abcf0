package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.ConfigFile;
import dev.sepia.platform.instance.InstanceRegistry;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.trust.TrustedServers;
import java.io.IOException;
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
    description = "Registers a new Tentacle instance on this machine and writes its config file.")
final class CreateInstanceCommand implements Callable<Integer> {
  @ParentCommand TentacleMain main;
  @Spec CommandSpec spec;

  @Option(
      names = "--instance",
      defaultValue = InstanceRegistry.DEFAULT_NAME,
      description = "Name of the new instance (default: ${DEFAULT-VALUE}).")
  String instance;

  @Option(
      names = "--config",
      required = true,
      description = "Path of the config file to create, e.g. /etc/sepia/Tentacle.config.json.")
  Path config;

  @Option(
      names = "--home",
      description =
          "Home folder for service state and logs (default: the config file's folder). Scripts"
              + " and files go to its app/ folder unless configure --app says otherwise.")
  Path home;

  @Override
  public Integer call() throws IOException {
    InstanceRegistry.validateName(instance);
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
    // Make sure the machine key exists now, so the certificate can be protected.
    main.environment().machineKey();
    ConfigFile file = ConfigFile.createNew(configFile);
    file.set(TentacleConfig.HOME, homeDir.toString());
    file.set(TentacleConfig.APP, homeDir.resolve("app").toString());
    file.set(TentacleConfig.LISTEN_PORT, Integer.toString(TentacleConfig.DEFAULT_LISTEN_PORT));
    file.set(TentacleConfig.LISTEN_IP_ADDRESS, TentacleConfig.DEFAULT_LISTEN_IP_ADDRESS);
    file.set(TentacleConfig.NO_LISTEN, "false");
    file.set(TentacleConfig.TRUSTED_SERVERS, TrustedServers.empty().toJson());
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
    out.println("Next:");
    out.println("  sepia-tentacle new-certificate --instance " + instance + " --if-blank");
    out.println(
        "  sepia-tentacle configure --instance " + instance + " --trust=<server thumbprint>");
    return 0;
  }
}
