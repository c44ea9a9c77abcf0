package dev.sepia.server.cli;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.startup.OpenInstance;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "export-certificate",
    description =
        "Writes the server certificate and its private key to a password-protected PFX"
            + " file, as a backup.")
final class ExportCertificateCommand extends InstanceCommand {
  @Option(names = "--export-pfx", required = true, description = "PFX file to write.")
  Path exportPfx;

  @Option(names = "--pfx-password", required = true, description = "Password for the PFX file.")
  String pfxPassword;

  @Override
  public Integer call() {
    PfxFiles.requirePassword(pfxPassword, "--export-pfx");
    try (OpenInstance instance = openInstance()) {
      CertificateWithKey certificate =
          new ServerCertificateStore(instance.jdbi()).load(instance.barrier());
      PfxFiles.write(exportPfx, certificate, pfxPassword);
      new AuditLog(instance.jdbi())
          .record(
              AuditLog.commandLineActor(),
              "ServerCertificateExported",
              "Server certificate " + certificate.thumbprint() + " exported to a PFX file");
      out()
          .println(
              "Exported the certificate with thumbprint "
                  + certificate.thumbprint()
                  + " to "
                  + exportPfx.toAbsolutePath()
                  + ".");
      return 0;
    }
  }
}
