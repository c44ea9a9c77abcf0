package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.trust.CommunicationStyle;
import dev.sepia.tentacle.trust.TrustedServer;
import dev.sepia.tentacle.trust.TrustedServers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "server-comms",
    description = {
      "Sets how this Tentacle and a trusted server reach each other.",
      "TentacleActive: this Tentacle polls the server at https://HOST:PORT/ (needs --host)."
          + " TentaclePassive: the server connects to this listening Tentacle.",
      "The server is trusted if it was not already."
    })
final class ServerCommsCommand extends InstanceCommand {
  @Option(
      names = "--thumbprint",
      required = true,
      paramLabel = "THUMBPRINT",
      description = "The server's certificate thumbprint.")
  String thumbprint;

  @Option(
      names = "--style",
      required = true,
      paramLabel = "STYLE",
      description = "TentacleActive (polling) or TentaclePassive (listening).")
  String style;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "The server's host name or IP address (for TentacleActive).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "10943",
      description = "The server's polling comms port (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() {
    String t = TentacleConfig.requireThumbprint(thumbprint, "--thumbprint");
    CommunicationStyle commsStyle;
    try {
      commsStyle = CommunicationStyle.parse(style);
    } catch (IllegalArgumentException e) {
      throw new OperatorException("--style: " + e.getMessage(), 2);
    }
    TentacleConfig.requirePort(port, "--port", TentacleConfig.DEFAULT_SERVER_COMMS_PORT);
    if (commsStyle == CommunicationStyle.TENTACLE_ACTIVE) {
      if (host == null || host.isBlank()) {
        throw new OperatorException(
            "--style TentacleActive needs --host: the server's host name this Tentacle polls.", 2);
      }
      try {
        TrustedServers.httpsAddress(host, port);
      } catch (IllegalArgumentException e) {
        throw new OperatorException("--host: " + e.getMessage(), 2);
      }
    }
    TentacleConfig config = config();
    TrustedServers before = config.trustedServers();
    TrustedServers after = before.setServerComms(t, commsStyle, host, port);
    config.setTrustedServers(after);
    config.save();
    if (!before.trusts(t)) {
      out().println("Trusting server " + t + ".");
    }
    TrustedServer entry =
        after.entries().stream().filter(e -> e.thumbprint().equals(t)).findFirst().orElseThrow();
    if (entry.polls()) {
      out().println("This Tentacle will poll server " + t + " at " + entry.address() + ".");
      if (!config.noListen()) {
        out()
            .println(
                "It still listens too; for a polling-only Tentacle run: sepia-tentacle configure"
                    + " --instance "
                    + config.instanceName()
                    + " --noListen true");
      }
    } else {
      out().println("Server " + t + " connects to this listening Tentacle (TentaclePassive).");
    }
    out().println(RESTART_NOTE);
    return 0;
  }
}
