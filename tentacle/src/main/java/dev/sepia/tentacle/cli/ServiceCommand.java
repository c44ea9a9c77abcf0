package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.ServiceFlags;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.platform.service.ServiceDefinition;
import dev.sepia.platform.service.ServiceManager;
import dev.sepia.platform.service.ServiceState;
import dev.sepia.tentacle.agent.TentacleAgent;
import dev.sepia.tentacle.config.TentacleConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "service",
    description = {
      "Installs, starts, stops and removes the Tentacle as a service.",
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
    TentacleConfig config = config();
    TentacleServices services = new TentacleServices(environment());
    ServiceManager manager = services.manager();
    ServiceDefinition definition = services.definition(instance, config);
    boolean started =
        flags.apply(
            manager,
            definition,
            TentacleServices.readinessProbe(config),
            () -> {
              if (manager.status(definition).state() != ServiceState.RUNNING) {
                TentacleAgent.preflight(config, true);
              }
            },
            out());
    if (started) {
      if (config.noListen()) {
        out().println("Polling: " + config.trustedServers().polling().size() + " server(s).");
      } else {
        out().println("Listening on " + config.listenIpAddress() + ":" + config.listenPort() + ".");
      }
    }
    return 0;
  }
}
