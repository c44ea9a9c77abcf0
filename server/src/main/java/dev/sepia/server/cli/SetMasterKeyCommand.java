package dev.sepia.server.cli;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.rotation.RotationHandOver;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.DatabaseState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "set-master-key",
    description = {
      "Puts a master key in this instance's config (protected by this machine's key).",
      "Changes only the config, never the database; refuses a key that does not open the"
          + " instance's database."
    })
final class SetMasterKeyCommand extends InstanceCommand {
  @Option(names = "--masterKey", required = true, description = "The master key, in base64.")
  String masterKey;

  @Override
  public Integer call() {
    SymmetricKey key = MasterKeyArgument.parse(masterKey);
    ServerConfig config = config();
    String note = null;
    if (config.hasConnectionString()) {
      try (Database database = Database.open(config.connectionString(), false)) {
        DatabaseMetadata metadata = new DatabaseMetadata(database.jdbi());
        if (metadata.inspect() == DatabaseState.SEPIA
            && MasterKeyGate.check(metadata, key) != MasterKeyGate.Verdict.OPENS) {
          throw new OperatorException(
              "This master key (key id "
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
                + ". Restart the server for it to take effect.");
    return 0;
  }
}
