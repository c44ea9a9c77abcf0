package dev.sepia.server.cli;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.rotation.RotationHandOver;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.DatabaseState;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "set-master-key",
    description = {
      "Puts a master key in this instance's config (protected by this machine's key).",
      "Changes only the config, never the database; refuses a key that does not open the"
          + " instance's database.",
      "The key is given one way: --masterKey (base64), --shares (K of the shares printed by"
          + " show-master-key --shares), --sharesFile, or --masterKeyFile (written by"
          + " export-master-key) with its passphrase."
    })
final class SetMasterKeyCommand extends InstanceCommand {
  @Option(names = "--masterKey", description = "The master key, in base64.")
  String masterKey;

  @Option(
      names = "--shares",
      arity = "0..1",
      fallbackValue = "",
      paramLabel = "SHARE",
      description =
          "A share of the master key (sepia-share:v1:…); repeat the option once per share until"
              + " the threshold is reached. Without a value, each share is asked for at the"
              + " terminal, without echo.")
  List<String> shares;

  @Option(
      names = "--sharesFile",
      paramLabel = "FILE",
      description = "Read the shares from FILE, one per line (blank lines and # lines skipped).")
  Path sharesFile;

  @Option(
      names = "--masterKeyFile",
      paramLabel = "FILE",
      description =
          "Read the master key from FILE, written by export-master-key; its passphrase comes from"
              + " --passphraseFile, --passphraseEnv or a prompt.")
  Path masterKeyFile;

  @Mixin PassphraseOptions passphrase;

  @Override
  public Integer call() {
    MasterKeySource source =
        new MasterKeySource(masterKey, shares, "--shares", sharesFile, masterKeyFile, passphrase);
    if (!source.given()) {
      throw new OperatorException(
          "Give the master key: " + source.optionNames() + ". Nothing was changed.", 2);
    }
    // The config first: a wrong --instance is found before anyone types a share or passphrase.
    ServerConfig config = config();
    SymmetricKey key = source.resolve(environment().env(), err());
    String note = null;
    if (config.hasConnectionString()) {
      try (Database database = Database.open(config.connectionString(), false)) {
        DatabaseMetadata metadata = new DatabaseMetadata(database.jdbi());
        if (metadata.inspect() == DatabaseState.SEPIA
            && MasterKeyGate.check(metadata, key) != MasterKeyGate.Verdict.OPENS) {
          throw new OperatorException(
              "The master key "
                  + source.described()
                  + " (key id "
                  + key.keyId()
                  + ") does not open the instance's database (it was sealed with key id "
                  + MasterKeyGate.databaseKeyId(metadata)
                  + "). The config was not changed.");
        }
        note = RotationHandOver.apply(config, metadata, key);
      }
    } else {
      out()
          .println(
              "Note: the instance has no database yet, so the key could not be checked against one.");
    }
    config.setMasterKey(key);
    config.save();
    if (note != null) {
      out().println(note);
    }
    out()
        .println(
            "The master key (key id "
                + key.keyId()
                + ") is saved in "
                + config.configPath()
                + (note != null
                    ? ". A running server of this instance takes it within seconds."
                    : ". Restart the server for it to take effect."));
    return 0;
  }
}
