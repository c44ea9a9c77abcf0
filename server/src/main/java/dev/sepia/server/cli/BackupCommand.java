package dev.sepia.server.cli;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.OutputFormat;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.backup.BackupSummary;
import dev.sepia.server.backup.BackupWriter;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.store.Database;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "backup",
    description = {
      "Writes a backup of this instance to one archive file: every table of its database (read"
          + " as one consistent snapshot, so the server may keep running) and its task logs,"
          + " reports and artifacts, with a manifest of SHA-256 checksums tagged with the master"
          + " key (so a restore refuses an archive changed after it was written; the instance's"
          + " key must open its database). It restores onto H2 or PostgreSQL, whichever it came"
          + " from (see restore, verify-backup).",
      "The master key is not in the backup unless --includeMasterKey is given; it is then"
          + " wrapped with a passphrase, never stored in clear. An existing file is never"
          + " overwritten."
    })
final class BackupCommand extends InstanceCommand {
  @Option(
      names = "--file",
      required = true,
      paramLabel = "FILE",
      description = "The archive to write (for example sepia-2024-05-01.zip). Must not exist yet.")
  Path file;

  @Option(
      names = "--includeMasterKey",
      description =
          "Include the master key, wrapped with a passphrase (Argon2id + AES-GCM) given by"
              + " --passphraseFile, --passphraseEnv or a prompt (asked twice).")
  boolean includeMasterKey;

  @Mixin PassphraseOptions passphrase;

  @Option(names = "--format", defaultValue = "text", description = "text or json.")
  OutputFormat format;

  @Override
  public Integer call() throws Exception {
    if (passphrase.given() && !includeMasterKey) {
      throw new OperatorException(
          "A passphrase only protects a master key included with --includeMasterKey; add it, or"
              + " leave the passphrase out.",
          2);
    }
    BackupWriter.requireNew(file);
    ServerConfig config = config();
    SymmetricKey key = masterKeyOf(config);
    try (Database database = Database.open(config.connectionString(), false)) {
      BackupWriter writer =
          new BackupWriter(database, config.home(), config.instanceName(), Keyring.of(key));
      if (includeMasterKey) {
        char[] secret =
            passphrase.read(
                environment().env(), "Passphrase for the master key in the backup", true, true);
        try {
          writer.includeMasterKey(key, secret);
        } finally {
          Arrays.fill(secret, '\0');
        }
      }
      BackupSummary summary = writer.write(file, AuditLog.commandLineActor());
      print(summary);
    }
    return 0;
  }

  private void print(BackupSummary summary) throws Exception {
    var manifest = summary.manifest();
    if (format == OutputFormat.JSON) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("file", summary.file().toString());
      body.put("sha256", summary.archiveSha256());
      body.put("bytes", summary.archiveBytes());
      body.put("tables", summary.tableCount());
      body.put("rows", summary.rowCount());
      body.put("files", summary.fileCount());
      body.put("createdAt", manifest.createdAt());
      body.put("schemaVersion", manifest.schemaVersion());
      body.put("masterKeyId", manifest.masterKeyId());
      body.put("includesMasterKey", manifest.includesMasterKey());
      out().println(Json.mapper().writeValueAsString(body));
      return;
    }
    out()
        .println(
            "Backed up instance '"
                + manifest.instanceName()
                + "' ("
                + manifest.sourceEngine()
                + ", schema version "
                + manifest.schemaVersion()
                + ") to "
                + summary.file());
    out()
        .printf(
            "  %d tables, %d rows, %d files, %d bytes%n",
            summary.tableCount(), summary.rowCount(), summary.fileCount(), summary.archiveBytes());
    out().println("  sha256: " + summary.archiveSha256());
    if (manifest.includesMasterKey()) {
      out()
          .println(
              "  The master key (id "
                  + manifest.masterKeyId()
                  + ") is included, wrapped with the passphrase. Keep the passphrase apart from"
                  + " the backup.");
    } else {
      out()
          .println(
              "  The master key (id "
                  + manifest.masterKeyId()
                  + ") is not included: a restore needs it. Keep it apart from the backup"
                  + " (sepia-server show-master-key).");
    }
    out()
        .println(
            "Prove it restores: sepia-server verify-backup --file "
                + summary.file()
                + " --instance "
                + manifest.instanceName());
  }
}
