package dev.sepia.server.cli;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.certificate.StoredCertificate;
import dev.sepia.server.startup.OpenInstance;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "import-certificate",
    description =
        "Replaces the server certificate with one from a PFX file (the entry that has a"
            + " private key).")
final class ImportCertificateCommand extends InstanceCommand {
  @Option(
      names = {"--from-file", "-f"},
      required = true,
      description = "PFX file to import.")
  Path fromFile;

  @Option(
      names = {"--pfx-password", "--pw"},
      required = true,
      description = "Password of the PFX file.")
  String pfxPassword;

  @Override
  public Integer call() {
    try (OpenInstance instance = openInstance()) {
      CertificateWithKey imported = PfxFiles.read(fromFile, pfxPassword);
      ServerCertificateStore store = new ServerCertificateStore(instance.jdbi());
      String old = store.current().map(StoredCertificate::thumbprint).orElse("none");
      instance
          .jdbi()
          .useTransaction(
              h -> {
                store.replace(h, instance.barrier(), imported);
                AuditLog.record(
                    h,
                    AuditLog.commandLineActor(),
                    "ServerCertificateImported",
                    "Server certificate replaced from a PFX file: "
                        + old
                        + " -> "
                        + imported.thumbprint());
              });
      out()
          .println(
              "The certificate "
                  + imported.subject()
                  + " was imported; old thumbprint = "
                  + old
                  + ", new thumbprint = "
                  + imported.thumbprint()
                  + ".");
      out().println("These changes require a restart of the Sepia server.");
      return 0;
    }
  }
}
