package dev.sepia.platform.cli;

import dev.sepia.platform.service.ServiceDefinition;
import dev.sepia.platform.service.ServiceManager;
import dev.sepia.platform.service.ServiceState;
import dev.sepia.platform.service.ServiceStatus;
import java.io.PrintWriter;

/** What {@code delete-instance} does about the instance's service, for server and Tentacle. */
public final class ServiceRemoval {
  private ServiceRemoval() {}

  /**
   * Refuses while the service runs; removes it if it is installed but stopped.
   *
   * @param definition null when the instance's config cannot be read (nothing can run from it)
   * @param program "sepia-server" or "sepia-tentacle", named in the refusal's fix
   */
  public static void beforeDeleting(
      ServiceManager manager,
      ServiceDefinition definition,
      String instance,
      String program,
      PrintWriter out) {
    if (definition == null) {
      return;
    }
    ServiceStatus status = manager.status(definition);
    if (status.state() == ServiceState.RUNNING) {
      throw new OperatorException(
          "Instance '"
              + instance
              + "' is running as a service (pid "
              + status.pid()
              + "). Stop and remove the service first: "
              + program
              + " service --instance "
              + instance
              + " --stop --uninstall");
    }
    if (status.state() == ServiceState.STOPPED) {
      manager.uninstall(definition);
      out.println("Removed the stopped service " + definition.serviceName() + ".");
    }
  }
}
