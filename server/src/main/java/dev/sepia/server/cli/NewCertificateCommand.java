package dev.sepia.server.cli;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.certificate.StoredCertificate;
import dev.sepia.server.startup.OpenInstance;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "new-certificate",
    description = {
      "Generates a new self-signed server certificate.",
      "With --export-pfx alone the new certificate is only written to a file (import it later"
          + " with import-certificate); with --replace it becomes the server's certificate.",
      "Tentacles trust the server by thumbprint: after a replacement each one needs"
          + " 'sepia-tentacle configure --trust=<new thumbprint>'."
    })
final class NewCertificateCommand extends InstanceCommand {
  @Option(names = "--replace", description = "Replace the server's current certificate.")
  boolean replace;

  @Option(names = "--export-pfx", description = "Also write the new certificate to this PFX file.")
  Path exportPfx;

  @Option(names = "--pfx-password", description = "Password protecting the PFX file.")
  String pfxPassword;

  @Override
  public Integer call() {
    if (exportPfx != null) {
      PfxFiles.requirePassword(pfxPassword, "--export-pfx");
    }
    try (OpenInstance instance = openInstance()) {
      ServerCertificateStore store = new ServerCertificateStore(instance.jdbi());
      Optional<StoredCertificate> current = store.current();
      boolean save = replace || current.isEmpty();
      if (!save && exportPfx == null) {
        throw new OperatorException(
            "The server already has a certificate (thumbprint "
                + current.get().thumbprint()
                + "). Pass --replace to replace it (every Tentacle will then need to trust the"
                + " new thumbprint), or --export-pfx FILE to only write a new one to a file.");
      }
      current.ifPresent(
          c ->
              out()
                  .println(
                      "The server currently uses a certificate with thumbprint: "
                          + c.thumbprint()));
      CertificateWithKey fresh =
          Certificates.generateSelfSigned(ServerCertificateStore.COMMON_NAME);
      out().println("A new certificate has been generated with thumbprint: " + fresh.thumbprint());
      if (exportPfx != null) {
        PfxFiles.write(exportPfx, fresh, pfxPassword);
        out().println("Written to " + exportPfx.toAbsolutePath() + ".");
      }
      if (!save) {
        out()
            .println(
                "The server's certificate was not changed. Import it when ready with: sepia-server"
                    + " import-certificate --from-file "
                    + exportPfx
                    + " --pfx-password …");
        return 0;
      }
      instance
          .jdbi()
          .useTransaction(
              h -> {
                store.replace(h, instance.barrier(), fresh);
                AuditLog.record(
                    h,
                    AuditLog.commandLineActor(),
                    "ServerCertificateReplaced",
                    "Server certificate replaced: "
                        + current.map(StoredCertificate::thumbprint).orElse("none")
                        + " -> "
                        + fresh.thumbprint());
              });
      out().println("These changes require a restart of the Sepia server.");
      out()
          .println(
              "Then, on every Tentacle: sepia-tentacle configure --trust=" + fresh.thumbprint());
      return 0;
    }
  }
}
