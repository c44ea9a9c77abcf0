package dev.sepia.server.cli;

import dev.sepia.platform.cli.ServiceFlags;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.service.ServiceDefinition;
import dev.sepia.platform.service.ServiceManager;
import dev.sepia.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
  @Mixin ServiceFlags flags;

  @Override
  public Integer call() {
    flags.validate();
    InstanceRecord instance = instance();
    ServerConfig config = config();
    ServerServices services = new ServerServices(environment());
    ServiceManager manager = services.manager();
    ServiceDefinition definition = services.definition(instance, config);
    boolean started =
        flags.apply(
            manager,
            definition,
            ServerServices.healthProbe(config),
            // The master key, database and schema are checked here, so a refusal shows now.
            () -> openInstance().close(),
            out());
    if (started) {
      out().println("Web portal: " + config.listenPrefix());
    }
    return 0;
  }
}
