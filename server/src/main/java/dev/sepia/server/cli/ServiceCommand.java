package dev.sepia.server.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.service.ServiceDefinition;
import dev.sepia.platform.service.ServiceManager;
import dev.sepia.platform.service.ServiceStatus;
import dev.sepia.server.config.ServerConfig;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "service",
    description = {
      "Installs, starts, stops and removes the server as a service.",
      "Uses a systemd unit where systemd runs; elsewhere a background process with a pid file and"
          + " a log file under the instance's home folder (service/).",
      "Flags combine and run in this order: stop, uninstall, install, start (restart = stop +"
          + " start), status."
    })
final class ServiceCommand extends InstanceCommand {
  @Option(names = "--install", description = "Install the service.")
  boolean install;

  @Option(names = "--uninstall", description = "Stop and remove the service.")
  boolean uninstall;

  @Option(names = "--start", description = "Start the service and wait until it answers.")
  boolean start;

  @Option(names = "--stop", description = "Stop the service.")
  boolean stop;

  @Option(names = "--restart", description = "Stop, then start the service.")
  boolean restart;

  @Option(names = "--status", description = "Show whether the service is running.")
  boolean status;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "Seconds to wait for start or stop (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() {
    if (!(install || uninstall || start || stop || restart || status)) {
      throw new OperatorException(
          "Say what to do: --install, --start, --stop, --restart, --uninstall or --status.", 2);
    }
    InstanceRecord instance = instance();
    ServerConfig config = config();
    ServerServices services = new ServerServices(environment());
    ServiceManager manager = services.manager();
    ServiceDefinition definition = services.definition(instance, config);
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    String name = definition.serviceName();

    if (stop || restart) {
      report(manager.stop(definition, timeout), name);
    }
    if (uninstall) {
      manager.uninstall(definition);
      out().println("Service " + name + " removed (" + manager.kind() + ").");
    }
    if (install) {
      manager.install(definition);
      out().println("Service " + name + " installed (" + manager.kind() + ").");
    }
    if (start || restart) {
      checkStartable();
      out().println("Starting " + name + "…");
      out().flush();
      report(manager.start(definition, ServerServices.healthProbe(config), timeout), name);
      out().println("Web portal: " + config.listenPrefix());
    }
    if (status) {
      report(manager.status(definition), name);
    }
    return 0;
  }

  /** Verify the key and database before spawning, so the error shows here, not only in a log. */
  private void checkStartable() {
    openInstance().close();
  }

  private void report(ServiceStatus s, String name) {
    String state = s.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    String detail = s.detail() == null || s.detail().isBlank() ? state : s.detail();
    out().println(name + ": " + detail);
  }
}
