package dev.sepia.tentacle.cli;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.tentacle.config.TentacleConfig;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "import-certificate",
    description =
        "Makes the certificate in a PFX file (the entry that has a private key) this Tentacle's"
            + " identity.")
final class ImportCertificateCommand extends InstanceCommand {
  @Option(
      names = {"--from-file", "-f"},
      required = true,
      paramLabel = "FILE",
      description = "PFX file to import.")
  Path fromFile;

  @Option(
      names = {"--pfx-password", "--pw"},
      required = true,
      paramLabel = "PASSWORD",
      description = "Password of the PFX file.")
  String pfxPassword;

  @Override
  public Integer call() {
    TentacleConfig config = config();
    CertificateWithKey imported = PfxFiles.read(fromFile, pfxPassword);
    String old = config.thumbprint().orElse("none");
    config.setCertificate(imported);
    config.save();
    out()
        .println(
            "The certificate "
                + imported.subject()
                + " was imported; old thumbprint = "
                + old
                + ", new thumbprint = "
                + imported.thumbprint()
                + ".");
    out().println(RESTART_NOTE);
    return 0;
  }
}
