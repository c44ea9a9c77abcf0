package dev.sepia.tentacle.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OutputFormat;
import dev.sepia.platform.config.SecretMasking;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.trust.TrustedServer;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "show-configuration",
    description =
        "Shows this Tentacle's settings and trusted servers. The private key is never printed.")
final class ShowConfigurationCommand extends InstanceCommand {
  static final String PRIVATE_KEY_SHOWN_AS = "<set; the private key is never shown>";

  @Option(names = "--format", defaultValue = "text", description = "text or json.")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    TentacleConfig config = config();
    ObjectMapper json = Json.mapper();
    ObjectNode shown = json.createObjectNode();
    shown.put("Tentacle.Instance", config.instanceName());
    shown.put("Tentacle.ConfigFile", config.configPath().toString());
    for (Map.Entry<String, String> e : config.file().entries().entrySet()) {
      String key = e.getKey();
      switch (key) {
        case TentacleConfig.CERTIFICATE -> shown.put(key, PRIVATE_KEY_SHOWN_AS);
        case TentacleConfig.CERTIFICATE_DER ->
            shown.put(key, "<public certificate, " + e.getValue().length() + " base64 characters>");
        case TentacleConfig.CERTIFICATE_THUMBPRINT -> shown.put(key, e.getValue());
        case TentacleConfig.TRUSTED_SERVERS -> {
          ArrayNode servers = shown.putArray(key);
          for (TrustedServer s : config.trustedServers().entries()) {
            ObjectNode node = servers.addObject();
            node.put("thumbprint", s.thumbprint());
            node.put("communicationStyle", s.communicationStyle().configName());
            if (s.address() != null) {
              node.put("address", s.address().toString());
            }
          }
        }
        default ->
            shown.put(key, SecretMasking.looksSecretKey(key) ? SecretMasking.MASK : e.getValue());
      }
    }
    if (format == OutputFormat.JSON) {
      out().println(json.writeValueAsString(shown));
      return 0;
    }
    for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : shown.properties()) {
      if (e.getValue().isArray()) {
        out().println(e.getKey() + " =" + (e.getValue().isEmpty() ? " (none)" : ""));
        for (TrustedServer s : config.trustedServers().entries()) {
          out().println("  " + s.describe());
        }
      } else {
        out().println(e.getKey() + " = " + e.getValue().asText());
      }
    }
    return 0;
  }
}
