package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.service.ServiceDefinition;
import dev.sepia.platform.service.ServiceManager;
import dev.sepia.platform.service.ServiceState;
import dev.sepia.platform.service.ServiceStatus;
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
    ServiceManager manager = services.manager();
    ServiceDefinition definition;
    try {
      definition = services.definition(instance, environment().openConfig(instance));
    } catch (OperatorException unreadableConfig) {
      definition = null; // Nothing can be running from a config that cannot be read.
    }
    ServiceStatus status =
        definition == null
            ? new ServiceStatus(ServiceState.NOT_INSTALLED, -1, "")
            : manager.status(definition);
    if (status.state() == ServiceState.RUNNING) {
      throw new OperatorException(
          "Instance '"
              + instance.name()
              + "' is running as a service (pid "
              + status.pid()
              + "). Stop and remove the service first: sepia-tentacle service --instance "
              + instance.name()
              + " --stop --uninstall");
    }
    if (status.state() == ServiceState.STOPPED) {
      manager.uninstall(definition);
      out().println("Removed the stopped service " + definition.serviceName() + ".");
    }
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
