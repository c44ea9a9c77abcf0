package dev.sepia.server.cli;

import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.OutputFormat;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.certificate.StoredCertificate;
import dev.sepia.server.startup.OpenInstance;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "show-thumbprint",
    description = "Shows the thumbprint (SHA-256) of the server certificate Tentacles must trust.")
final class ShowThumbprintCommand extends InstanceCommand {
  @Option(names = "--format", defaultValue = "text", description = "text or json.")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    try (OpenInstance instance = openInstance()) {
      StoredCertificate certificate =
          new ServerCertificateStore(instance.jdbi())
              .current()
              .orElseThrow(
                  () ->
                      new OperatorException(
                          "This server has no certificate. Create one with: sepia-server"
                              + " new-certificate"));
      if (format == OutputFormat.JSON) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("thumbprint", certificate.thumbprint());
        body.put("subject", certificate.subject());
        body.put("notAfter", certificate.notAfter().toString());
        out().println(Json.mapper().writeValueAsString(body));
      } else {
        out().println("The thumbprint of this Sepia server is: " + certificate.thumbprint());
      }
      return 0;
    }
  }
}
