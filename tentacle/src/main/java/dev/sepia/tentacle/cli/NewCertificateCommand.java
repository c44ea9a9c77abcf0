package dev.sepia.tentacle.cli;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.tentacle.config.TentacleConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "new-certificate",
    description = {
      "Generates a new self-signed certificate for this Tentacle and makes it its identity.",
      "Servers trust a Tentacle by thumbprint: after a replacement, update this machine on the"
          + " server (or run register-with --force).",
      "With --export-pfx the new certificate is only written to a PFX file; the Tentacle's"
          + " certificate is not changed."
    })
final class NewCertificateCommand extends InstanceCommand {
  @Option(
      names = {"--if-blank", "-b"},
      description = "Only generate one if this Tentacle has no certificate yet.")
  boolean ifBlank;

  @Option(
      names = "--export-pfx",
      paramLabel = "FILE",
      description = "Write the new certificate to this PFX file instead of using it.")
  Path exportPfx;

  @Option(
      names = "--pfx-password",
      paramLabel = "PASSWORD",
      description = "Password protecting the PFX file (needed with --export-pfx).")
  String pfxPassword;

  @Override
  public Integer call() {
    if (exportPfx != null) {
      PfxFiles.requirePassword(pfxPassword, "--export-pfx");
    }
    TentacleConfig config = config();
    Optional<String> current = config.thumbprint();
    if (ifBlank && current.isPresent()) {
      config.identity(); // says so if the certificate cannot be opened on this machine
      out()
          .println(
              "This Tentacle already has a certificate (thumbprint "
                  + current.get()
                  + "); nothing was changed.");
      return 0;
    }
    CertificateWithKey fresh =
        Certificates.generateSelfSigned(TentacleConfig.CERTIFICATE_COMMON_NAME);
    if (exportPfx != null) {
      PfxFiles.write(exportPfx, fresh, pfxPassword);
      out().println("A new certificate has been generated with thumbprint: " + fresh.thumbprint());
      out().println("Written to " + exportPfx.toAbsolutePath() + ".");
      out()
          .println(
              "This Tentacle's certificate was not changed. Use it with: sepia-tentacle"
                  + " import-certificate --from-file "
                  + exportPfx
                  + " --pfx-password …");
      return 0;
    }
    current.ifPresent(
        t -> out().println("The Tentacle currently uses a certificate with thumbprint: " + t));
    config.setCertificate(fresh);
    config.save();
    out().println("A new certificate has been generated with thumbprint: " + fresh.thumbprint());
    if (current.isPresent()) {
      out().println(RESTART_NOTE);
      out()
          .println(
              "Servers that knew the old thumbprint will refuse this Tentacle until they are told"
                  + " the new one.");
    }
    return 0;
  }
}
