package dev.sepia.server.cli;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.OutputFormat;
import dev.sepia.server.backup.BackupArchive;
import dev.sepia.server.backup.BackupVerifier;
import dev.sepia.server.backup.VerificationReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "verify-backup",
    description = {
      "Proves that a backup would restore: checks every checksum and the manifest's tag (made"
          + " with the master key: an archive changed after it was written fails), restores it"
          + " into a scratch"
          + " embedded database in a temporary folder (deleted afterwards), compares the row"
          + " counts with its manifest, and opens every sensitive value with the master key.",
      "The key: --masterKey, --masterKeyShares, --sharesFile or --masterKeyFile (with its"
          + " passphrase); or, with a passphrase option alone, the key included in the backup; or"
          + " this instance's key; or a prompt for the passphrase of the included key.",
      "Exit code 0 only if the backup would restore and every value opens; 1 otherwise; 2 for"
          + " bad usage. Changes nothing."
    })
final class VerifyBackupCommand extends InstanceCommand {
  @Option(
      names = "--file",
      required = true,
      paramLabel = "FILE",
      description = "The backup archive to verify.")
  Path file;

  @Option(names = "--masterKey", description = "The master key (base64) to verify the backup with.")
  String masterKey;

  @Mixin EscrowedKeyOptions escrowed;

  @Mixin PassphraseOptions passphrase;

  @Option(names = "--format", defaultValue = "text", description = "text or json.")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    VerificationReport report;
    try (BackupArchive archive = BackupArchive.open(file)) {
      SymmetricKey key =
          BackupKeyChoice.choose(
              masterKey,
              escrowed,
              passphrase,
              archive,
              this::instanceKey,
              environment().env(),
              err());
      report = BackupVerifier.verify(archive, key, Path.of(System.getProperty("java.io.tmpdir")));
    } catch (OperatorException e) {
      if (format != OutputFormat.JSON || e.exitCode() == 2) {
        throw e;
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("file", file.toString());
      body.put("ok", false);
      body.put("error", e.getMessage());
      out().println(Json.mapper().writeValueAsString(body));
      return e.exitCode();
    }
    if (format == OutputFormat.JSON) {
      out().println(Json.mapper().writeValueAsString(report));
    } else {
      printText(report);
    }
    return report.ok() ? 0 : 1;
  }

  /** The instance's key when an instance can be found and read here; verification needs none. */
  private Optional<SymmetricKey> instanceKey() {
    try {
      return config().masterKey();
    } catch (OperatorException noInstanceOrUnreadable) {
      return Optional.empty();
    }
  }

  private void printText(VerificationReport r) {
    out().println("Backup " + r.file());
    out()
        .println(
            "  taken "
                + r.createdAt()
                + " from instance '"
                + r.instanceName()
                + "' ("
                + r.sourceEngine()
                + ", schema version "
                + r.schemaVersion()
                + "), master key id "
                + r.masterKeyId()
                + (r.includesMasterKey() ? " (included, wrapped)" : " (not included)"));
    out()
        .println(
            "  checksums: every entry matches its manifest ("
                + r.files()
                + " files); the manifest's tag matches master key id "
                + r.masterKeyId());
    out().println("  tables (rows in manifest / restored):");
    for (VerificationReport.TableCheck t : r.tables()) {
      out()
          .printf(
              "    %-28s %10d / %-10d %s%n",
              t.name(), t.expected(), t.restored(), t.ok() ? "ok" : "MISMATCH");
    }
    out().println("  sensitive values (opened / failed):");
    for (VerificationReport.FieldCheck v : r.values()) {
      out()
          .printf(
              "    %-42s %8d / %-8d %s%n",
              v.field(), v.opened(), v.failed(), v.failed() == 0 ? "ok" : "FAILED");
    }
    out()
        .println(
            r.ok()
                ? "OK: the backup restores and every one of its "
                    + r.valuesOpened()
                    + " sensitive values opens with master key id "
                    + r.masterKeyId()
                    + "."
                : "FAILED: "
                    + r.valuesFailed()
                    + " sensitive value(s) do not open, or row counts differ (see above). This"
                    + " backup would not restore whole.");
  }
}
