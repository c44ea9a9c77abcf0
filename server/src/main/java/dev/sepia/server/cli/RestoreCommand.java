package dev.sepia.server.cli;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.SecretMasking;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.backup.BackupArchive;
import dev.sepia.server.backup.BackupManifest;
import dev.sepia.server.backup.BackupRestorer;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "restore",
    description = {
      "Restores a backup (made by the backup command) into an empty database, on H2 or"
          + " PostgreSQL whichever the backup came from, and makes this instance use it: the"
          + " connection string and the master key are saved in its config, and the task logs,"
          + " reports and artifacts are copied into its home.",
      "The master key: --masterKey, --masterKeyShares, --sharesFile or --masterKeyFile (with its"
          + " passphrase); or, with a passphrase option alone, the key included in the backup;"
          + " or this instance's key; or a prompt for the passphrase of the included key. A"
          + " damaged archive, a wrong key or passphrase, and a backup from a newer Sepia are"
          + " refused before anything is written. A database that is not empty is refused."
    })
final class RestoreCommand extends InstanceCommand {
  @Option(
      names = "--file",
      required = true,
      paramLabel = "FILE",
      description = "The backup archive to restore.")
  Path file;

  @Option(
      names = "--connectionString",
      required = true,
      description =
          "JDBC connection string of the empty database to restore into (a missing PostgreSQL"
              + " database or H2 file is created); saved in the config, protected by this"
              + " machine's key.")
  String connectionString;

  @Option(
      names = "--masterKey",
      description =
          "The master key (base64) of the instance that was backed up. Saved in the config once"
              + " it is proven to open the backup.")
  String masterKey;

  @Mixin EscrowedKeyOptions escrowed;

  @Mixin PassphraseOptions passphrase;

  @Override
  public Integer call() {
    String target = connectionString.trim();
    DatabaseKind.of(target);
    String shown = SecretMasking.maskConnectionString(target);
    ServerConfig config = config();
    try (BackupArchive archive = BackupArchive.open(file)) {
      SymmetricKey key =
          BackupKeyChoice.choose(
              masterKey,
              escrowed,
              passphrase,
              archive,
              () -> instanceKey(config),
              environment().env(),
              err());
      // Checksums, schema version and key, before anything is written anywhere.
      BackupRestorer.preflight(archive, key);
      BackupManifest manifest = archive.manifest();
      out()
          .println(
              "The backup of instance '"
                  + manifest.instanceName()
                  + "' taken at "
                  + manifest.createdAt()
                  + " ("
                  + manifest.sourceEngine()
                  + ", schema version "
                  + manifest.schemaVersion()
                  + ", "
                  + manifest.tables().size()
                  + " tables, "
                  + manifest.files().size()
                  + " files) is whole, and master key id "
                  + key.keyId()
                  + " opens it.");
      BackupRestorer.Outcome outcome;
      try (Database database = Database.open(target, true)) {
        BackupRestorer.requireEmpty(database, shown);
        out().println("Restoring into " + shown + " (" + database.kind().displayName() + ")…");
        out().flush();
        outcome = BackupRestorer.load(archive, database, AuditLog.commandLineActor());
      }
      int files = BackupRestorer.restoreFiles(archive, config.home());
      config.setConnectionString(target);
      config.setMasterKey(key);
      config.save();
      out()
          .println(
              "Restored "
                  + outcome.rowsPerTable().size()
                  + " tables ("
                  + outcome.totalRows()
                  + " rows) and "
                  + files
                  + " files. The schema is at version "
                  + outcome.schemaVersion()
                  + ".");
      out()
          .println(
              "Instance '"
                  + config.instanceName()
                  + "' now uses "
                  + shown
                  + " with master key id "
                  + key.keyId()
                  + " (saved in its config, protected by this machine's key).");
      out()
          .println(
              "The server certificate came back with the database, so Tentacles keep trusting"
                  + " this server. Web sessions are not in a backup: everyone signs in again.");
      out()
          .println(
              "Next: sepia-server service --install --start --instance " + config.instanceName());
    }
    return 0;
  }

  /** The instance's key, or none when it has none or it cannot be read on this machine. */
  private static Optional<SymmetricKey> instanceKey(ServerConfig config) {
    try {
      return config.masterKey();
    } catch (OperatorException unreadable) {
      return Optional.empty();
    }
  }
}
