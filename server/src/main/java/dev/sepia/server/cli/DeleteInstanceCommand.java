package dev.sepia.server.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.ServiceRemoval;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.service.ServiceDefinition;
import picocli.CommandLine.Command;

@Command(
    name = "delete-instance",
    description =
        "Removes an instance from this machine's registry. Its config file, home folder and"
            + " database are left in place.")
final class DeleteInstanceCommand extends InstanceCommand {
  @Override
  public Integer call() {
    InstanceRecord instance = instance();
    ServerServices services = new ServerServices(environment());
    ServiceDefinition definition;
    try {
      definition = services.definition(instance, environment().openConfig(instance));
    } catch (OperatorException unreadableConfig) {
      definition = null; // Nothing can be running from a config that cannot be read.
    }
    ServiceRemoval.beforeDeleting(
        services.manager(), definition, instance.name(), "sepia-server", out());
    environment().registry().remove(instance.name());
    out().println("Deleted instance '" + instance.name() + "' from this machine's registry.");
    out()
        .println(
            "Left in place (delete them yourself if no longer needed): config "
                + instance.configFile()
                + ", and the home folder and database it names.");
    return 0;
  }
}
