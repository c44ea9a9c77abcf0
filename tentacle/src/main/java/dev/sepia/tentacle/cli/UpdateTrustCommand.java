package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.trust.TrustedServers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "update-trust",
    description =
        "Replaces a server's old certificate thumbprint with its new one, in every entry that has"
            + " it (listening and polling alike), keeping how the server is reached.")
final class UpdateTrustCommand extends InstanceCommand {
  @Option(
      names = "--oldThumbprint",
      required = true,
      paramLabel = "THUMBPRINT",
      description = "The thumbprint trusted now.")
  String oldThumbprint;

  @Option(
      names = "--newThumbprint",
      required = true,
      paramLabel = "THUMBPRINT",
      description = "The thumbprint to trust instead.")
  String newThumbprint;

  @Override
  public Integer call() {
    String oldT = TentacleConfig.requireThumbprint(oldThumbprint, "--oldThumbprint");
    String newT = TentacleConfig.requireThumbprint(newThumbprint, "--newThumbprint");
    TentacleConfig config = config();
    TrustedServers servers = config.trustedServers();
    long matching = servers.entries().stream().filter(e -> e.thumbprint().equals(oldT)).count();
    if (matching == 0) {
      throw new OperatorException(
          "This Tentacle does not trust "
              + oldT
              + ", so there is nothing to update. Trusted now: "
              + (servers.isEmpty() ? "none" : String.join(", ", servers.thumbprints()))
              + ". To trust the new thumbprint, run: sepia-tentacle configure --instance "
              + config.instanceName()
              + " --trust="
              + newT);
    }
    if (oldT.equals(newT)) {
      out().println("The old and new thumbprints are the same; nothing was changed.");
      return 0;
    }
    config.setTrustedServers(servers.updateTrust(oldT, newT));
    config.save();
    out()
        .println(
            "Replaced "
                + oldT
                + " with "
                + newT
                + " in "
                + matching
                + (matching == 1 ? " trusted server entry." : " trusted server entries."));
    out().println(RESTART_NOTE);
    return 0;
  }
}
