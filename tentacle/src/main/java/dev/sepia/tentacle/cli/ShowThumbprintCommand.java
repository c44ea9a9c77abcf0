package dev.sepia.tentacle.cli;

import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.OutputFormat;
import dev.sepia.tentacle.config.TentacleConfig;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "show-thumbprint",
    description =
        "Shows the thumbprint (SHA-256) of this Tentacle's certificate, which servers pin.")
final class ShowThumbprintCommand extends InstanceCommand {
  @Option(names = "--format", defaultValue = "text", description = "text or json.")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    TentacleConfig config = config();
    String instance = config.instanceName();
    String thumbprint =
        config
            .thumbprint()
            .orElseThrow(
                () ->
                    new OperatorException(
                        "This Tentacle has no certificate yet. Create one with: sepia-tentacle"
                            + " new-certificate --instance "
                            + instance));
    if (format == OutputFormat.JSON) {
      X509Certificate certificate = config.certificate().orElseThrow();
      Map<String, String> body = new LinkedHashMap<>();
      body.put("thumbprint", thumbprint);
      body.put("subject", certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
      body.put("notAfter", certificate.getNotAfter().toInstant().toString());
      out().println(Json.mapper().writeValueAsString(body));
    } else {
      out().println("The thumbprint of this Tentacle is: " + thumbprint);
    }
    return 0;
  }
}
