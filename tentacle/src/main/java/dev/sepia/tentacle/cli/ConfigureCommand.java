package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.trust.CommunicationStyle;
import dev.sepia.tentacle.trust.TrustedServer;
import dev.sepia.tentacle.trust.TrustedServers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "configure",
    description = {
      "Changes settings of this Tentacle. Changes take effect when the Tentacle restarts.",
      "Trust changes apply in this order, whatever the order of the flags: --reset-trust, then"
          + " --remove-trust, then --trust. Every value is checked before anything is changed."
    })
final class ConfigureCommand extends InstanceCommand {
  @Option(
      names = {"--home", "--homedir"},
      paramLabel = "FOLDER",
      description = "Home folder: service state and logs.")
  Path home;

  @Option(
      names = {"--app", "--appdir"},
      paramLabel = "FOLDER",
      description = "Application folder: script workspaces (work/) and transferred files (files/).")
  Path app;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "TCP port this Tentacle listens on (default 10933).")
  Integer port;

  @Option(
      names = "--listenIpAddress",
      paramLabel = "IP",
      description = "IP address to listen on (default 0.0.0.0: every interface).")
  String listenIpAddress;

  @Option(
      names = "--noListen",
      paramLabel = "true|false",
      description = "true for a polling Tentacle that opens no port; false to listen.")
  String noListen;

  @Option(
      names = "--trust",
      paramLabel = "THUMBPRINT",
      description = "Trust the server with this certificate thumbprint (repeatable).")
  List<String> trust = new ArrayList<>();

  @Option(
      names = "--remove-trust",
      paramLabel = "THUMBPRINT",
      description = "Stop trusting the server with this thumbprint (repeatable).")
  List<String> removeTrust = new ArrayList<>();

  @Option(names = "--reset-trust", description = "Stop trusting every server.")
  boolean resetTrust;

  @Override
  public Integer call() {
    // Check every value before changing anything.
    if (port != null) {
      TentacleConfig.requirePort(port, "--port", TentacleConfig.DEFAULT_LISTEN_PORT);
    }
    String ip =
        listenIpAddress == null
            ? null
            : TentacleConfig.parseIpAddress(listenIpAddress).getHostAddress();
    Boolean noListenValue =
        noListen == null ? null : TentacleConfig.parseBoolean(noListen, "--noListen");
    List<String> toRemove = new ArrayList<>();
    for (String t : removeTrust) {
      toRemove.add(TentacleConfig.requireThumbprint(t, "--remove-trust"));
    }
    List<String> toTrust = new ArrayList<>();
    for (String t : trust) {
      toTrust.add(TentacleConfig.requireThumbprint(t, "--trust"));
    }
    if (home == null
        && app == null
        && port == null
        && ip == null
        && noListenValue == null
        && toRemove.isEmpty()
        && toTrust.isEmpty()
        && !resetTrust) {
      throw new OperatorException(
          "Nothing to change: pass --home, --app, --port, --listenIpAddress, --noListen, --trust,"
              + " --remove-trust or --reset-trust.",
          2);
    }

    TentacleConfig config = config();
    TrustedServers servers = config.trustedServers();
    List<String> changes = new ArrayList<>();
    if (home != null) {
      config.setHome(home);
      changes.add("Home folder: " + config.home());
    }
    if (app != null) {
      config.setApp(app);
      changes.add("Application folder: " + config.app());
    }
    if (port != null) {
      config.setListenPort(port);
      changes.add("Listening port: " + port);
    }
    if (ip != null) {
      config.setListenIpAddress(ip);
      changes.add("Listen IP address: " + ip);
    }
    if (noListenValue != null) {
      config.setNoListen(noListenValue);
      changes.add(
          noListenValue
              ? "Listening: off (this Tentacle only polls its servers)"
              : "Listening: on");
    }
    // A polling Tentacle keeps polling where it did: the runbook after a server certificate
    // change is "--reset-trust --trust=NEW", and the server's address has not changed.
    java.util.Optional<java.net.URI> pollingAddress =
        resetTrust
            ? servers.polling().stream().map(TrustedServer::address).findFirst()
            : java.util.Optional.empty();
    if (resetTrust) {
      changes.add(
          "Removed all trusted servers"
              + (servers.isEmpty()
                  ? " (there were none)."
                  : ": " + String.join(", ", servers.thumbprints()) + "."));
      servers = servers.reset();
    }
    for (String t : toRemove) {
      if (servers.trusts(t)) {
        servers = servers.remove(t);
        changes.add("No longer trusting server " + t + ".");
      } else if (!resetTrust) {
        changes.add("Server " + t + " was not trusted; nothing to remove.");
      }
    }
    for (String t : toTrust) {
      if (servers.trusts(t)) {
        changes.add("Server " + t + " is already trusted.");
      } else {
        servers = servers.add(t);
        changes.add("Trusting server " + t + ".");
        if (pollingAddress.isPresent()) {
          java.net.URI address = pollingAddress.get();
          servers =
              servers.setServerComms(
                  t, CommunicationStyle.TENTACLE_ACTIVE, address.getHost(), address.getPort());
          changes.add("Polling server " + t + " at " + address + ", as before the reset.");
        }
      }
    }
    config.setTrustedServers(servers);
    config.save();
    changes.forEach(c -> out().println(c));
    out().println(RESTART_NOTE);
    return 0;
  }
}
