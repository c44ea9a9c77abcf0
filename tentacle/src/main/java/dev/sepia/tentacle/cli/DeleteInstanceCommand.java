package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.ServiceRemoval;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.service.ServiceDefinition;
import picocli.CommandLine.Command;

@Command(
    name = "delete-instance",
    description =
        "Removes an instance from this machine's registry. Its config file and folders are left"
            + " in place.")
final class DeleteInstanceCommand extends InstanceCommand {
  @Override
  public Integer call() {
    InstanceRecord instance = instance();
    TentacleServices services = new TentacleServices(environment());
    ServiceDefinition definition;
    try {
      definition = services.definition(instance, environment().openConfig(instance));
    } catch (OperatorException unreadableConfig) {
      definition = null; // Nothing can be running from a config that cannot be read.
    }
    ServiceRemoval.beforeDeleting(
        services.manager(), definition, instance.name(), "sepia-tentacle", out());
    environment().registry().remove(instance.name());
    out().println("Deleted instance '" + instance.name() + "' from this machine's registry.");
    out()
        .println(
            "Left in place (delete them yourself if no longer needed): config "
                + instance.configFile()
                + ", and the home and application folders it names.");
    out()
        .println(
            "If a server still lists this Tentacle, remove it there (deregister-from needs the"
                + " instance, so it cannot be run now).");
    return 0;
  }
}
