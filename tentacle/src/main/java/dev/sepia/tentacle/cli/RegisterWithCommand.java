package dev.sepia.tentacle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.trust.CommunicationStyle;
import dev.sepia.tentacle.trust.TrustedServers;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "register-with",
    description = {
      "Registers this Tentacle as a deployment target on a Sepia server, then trusts that"
          + " server's certificate.",
      "TentaclePassive (default): the server connects to this Tentacle at"
          + " https://PUBLICHOSTNAME:PORT/. TentacleActive: this Tentacle polls the server at"
          + " its host and --server-comms-port.",
      "Everything is checked before the server is called; the config changes only after the"
          + " server accepted the registration."
    })
final class RegisterWithCommand extends InstanceCommand {
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
      description = "An API key of a user allowed to add machines.")
  String apiKey;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "NAME",
      description = "Name of this machine on the server.")
  String name;

  @Option(
      names = {"--environment", "--env"},
      required = true,
      paramLabel = "ENVIRONMENT",
      description = "An environment to deploy to this machine in (repeatable).")
  List<String> environments = new ArrayList<>();

  @Option(
      names = {"--role", "-r"},
      required = true,
      paramLabel = "ROLE",
      description = "A role of this machine (repeatable).")
  List<String> roles = new ArrayList<>();

  @Option(
      names = "--comms-style",
      paramLabel = "STYLE",
      defaultValue = "TentaclePassive",
      description = "TentaclePassive (listening, default) or TentacleActive (polling).")
  String commsStyle;

  @Option(
      names = "--publicHostName",
      paramLabel = "HOST",
      description = "Host name the server uses to reach this Tentacle (default: this machine's).")
  String publicHostName;

  @Option(
      names = "--tentacle-comms-port",
      paramLabel = "PORT",
      description = "Port the server connects to (default: this Tentacle's listening port).")
  Integer tentacleCommsPort;

  @Option(
      names = "--server-comms-port",
      paramLabel = "PORT",
      defaultValue = "10943",
      description = "The server's polling port, for TentacleActive (default: ${DEFAULT-VALUE}).")
  int serverCommsPort;

  @Option(
      names = {"--force", "-f"},
      description = "Replace an existing machine with the same name or thumbprint.")
  boolean force;

  @Override
  public Integer call() {
    // Check every value before calling the server.
    ServerApi api = ServerApi.connect(server, apiKey);
    CommunicationStyle style;
    try {
      style = CommunicationStyle.parse(commsStyle);
    } catch (IllegalArgumentException e) {
      throw new OperatorException("--comms-style: " + e.getMessage(), 2);
    }
    String machineName = requireText(name, "--name");
    List<String> envs = requireList(environments, "--environment");
    List<String> roleList = requireList(roles, "--role");
    TentacleConfig.requirePort(
        serverCommsPort, "--server-comms-port", TentacleConfig.DEFAULT_SERVER_COMMS_PORT);
    if (tentacleCommsPort != null) {
      TentacleConfig.requirePort(
          tentacleCommsPort, "--tentacle-comms-port", TentacleConfig.DEFAULT_LISTEN_PORT);
    }
    if (publicHostName != null) {
      requireText(publicHostName, "--publicHostName");
    }

    TentacleConfig config = config();
    String instance = config.instanceName();
    String thumbprint =
        config
            .thumbprint()
            .orElseThrow(
                () ->
                    new OperatorException(
                        "This Tentacle has no certificate yet, so the server could not trust it."
                            + " Create one first: sepia-tentacle new-certificate --instance "
                            + instance));
    URI listeningUri = null;
    URI pollingAddress = null;
    if (style == CommunicationStyle.TENTACLE_PASSIVE) {
      if (config.noListen()) {
        throw new OperatorException(
            "This Tentacle does not listen (NoListen is true), so the server could not connect"
                + " to it. Register with --comms-style TentacleActive, or first run:"
                + " sepia-tentacle configure --instance "
                + instance
                + " --noListen false");
      }
      int port = tentacleCommsPort != null ? tentacleCommsPort : config.listenPort();
      String host = publicHostName != null ? publicHostName.trim() : localHostName();
      try {
        listeningUri = TrustedServers.httpsAddress(host, port);
      } catch (IllegalArgumentException e) {
        throw new OperatorException("--publicHostName: " + e.getMessage(), 2);
      }
    } else {
      pollingAddress = TrustedServers.httpsAddress(api.server().getHost(), serverCommsPort);
    }

    String serverThumbprint = api.serverThumbprint();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", machineName);
    body.put("thumbprint", thumbprint);
    body.put("communicationStyle", style.configName());
    if (listeningUri != null) {
      body.put("uri", listeningUri.toString());
    }
    envs.forEach(body.putArray("environments")::add);
    roleList.forEach(body.putArray("roles")::add);
    body.put("force", force);
    JsonNode machine = api.registerMachine(body);

    TrustedServers servers = config.trustedServers().add(serverThumbprint);
    if (style == CommunicationStyle.TENTACLE_ACTIVE) {
      servers =
          servers.setServerComms(serverThumbprint, style, api.server().getHost(), serverCommsPort);
    }
    config.setTrustedServers(servers);
    config.save();

    String id = machine.path("id").asText("");
    out()
        .println(
            "Registered this Tentacle with "
                + api.server()
                + " as '"
                + machineName
                + "'"
                + (id.isEmpty() ? "" : " (id " + id + ")")
                + "; environments: "
                + String.join(", ", envs)
                + "; roles: "
                + String.join(", ", roleList)
                + ".");
    if (listeningUri != null) {
      out().println("The server will connect to this Tentacle at " + listeningUri + ".");
    } else {
      out().println("This Tentacle will poll the server at " + pollingAddress + ".");
    }
    out().println("This Tentacle now trusts the server's certificate: " + serverThumbprint + ".");
    out().println(RESTART_NOTE);
    return 0;
  }

  private static String requireText(String value, String flag) {
    if (value == null || value.isBlank()) {
      throw new OperatorException(flag + " cannot be empty.", 2);
    }
    return value.trim();
  }

  private static List<String> requireList(List<String> values, String flag) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      String t = requireText(v, flag);
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    if (out.isEmpty()) {
      throw new OperatorException("Give at least one " + flag + ".", 2);
    }
    return out;
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
