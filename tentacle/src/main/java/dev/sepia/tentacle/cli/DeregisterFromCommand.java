package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.trust.TrustedServers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "deregister-from",
    description = {
      "Removes this Tentacle (found by its certificate thumbprint) from a Sepia server's"
          + " machines, then stops trusting that server.",
    })
final class DeregisterFromCommand extends InstanceCommand {
  @Option(
      names = "--server",
      required = true,
      paramLabel = "URL",
      description = "The server's web address, e.g. http://deploy.example.com:8050.")
  String server;

  @Option(
      names = "--apiKey",
      required = true,
      paramLabel = "KEY",
      description = "An API key of a user allowed to remove machines.")
  String apiKey;

  @Override
  public Integer call() {
    ServerApi api = ServerApi.connect(server, apiKey);
    TentacleConfig config = config();
    String thumbprint =
        config
            .thumbprint()
            .orElseThrow(
                () ->
                    new OperatorException(
                        "This Tentacle has no certificate, so no server can have registered it."));
    String serverThumbprint = api.serverThumbprint();
    api.deregisterMachine(thumbprint);
    out()
        .println(
            "Removed this Tentacle (thumbprint " + thumbprint + ") from " + api.server() + ".");
    TrustedServers servers = config.trustedServers();
    if (servers.trusts(serverThumbprint)) {
      config.setTrustedServers(servers.remove(serverThumbprint));
      config.save();
      out().println("This Tentacle no longer trusts that server (" + serverThumbprint + ").");
      out().println(RESTART_NOTE);
    }
    return 0;
  }
}
