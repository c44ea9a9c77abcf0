package dev.sepia.server.cli;

import dev.sepia.crypto.Certificates;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.SecretMasking;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.rotation.RotationHandOver;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.DatabaseState;
import dev.sepia.server.store.Schema;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "database",
    description = {
      "Points this instance at its database, builds a new one (--create), or upgrades its schema"
          + " (--upgrade).",
      "H2: jdbc:h2:file:/var/lib/sepia/db/sepia   PostgreSQL:"
          + " jdbc:postgresql://HOST:5432/DB?user=U&password=P",
      "On an existing Sepia database the master key (from the config, or given) must open it;"
          + " a wrong key is refused and nothing changes. A key is given one way: --masterKey,"
          + " --masterKeyShares (K of the shares from show-master-key --shares), --sharesFile, or"
          + " --masterKeyFile (from export-master-key) with its passphrase."
    })
final class DatabaseCommand extends InstanceCommand {
  private MasterKeySource keySource;

  @Option(
      names = "--connectionString",
      description =
          "JDBC connection string of the database; saved in the config, protected by"
              + " this machine's key.")
  String connectionString;

  @Option(
      names = "--create",
      description =
          "Build the Sepia schema in an empty database (and generate a master key if"
              + " the instance has none). Does nothing more on an existing Sepia database.")
  boolean create;

  @Option(names = "--upgrade", description = "Upgrade the schema to this version of Sepia.")
  boolean upgrade;

  @Option(
      names = "--masterKey",
      description =
          "The master key (base64, 256 bits) of an existing database. Saved in the"
              + " config once it is proven to open the database.")
  String masterKey;

  @Mixin EscrowedKeyOptions escrowed;

  @Mixin PassphraseOptions passphrase;

  @Override
  public Integer call() {
    keySource = escrowed.with(masterKey, passphrase);
    if (connectionString == null && !create && !upgrade && !keySource.given()) {
      throw new OperatorException(
          "Nothing to do: pass --connectionString, --create, --upgrade or a master key ("
              + keySource.optionNames()
              + ").",
          2);
    }
    // The config and the target first: a mistake there is found before anyone types a share.
    ServerConfig config = config();
    String target = connectionString != null ? connectionString.trim() : config.connectionString();
    DatabaseKind.of(target);
    SymmetricKey givenKey = keySource.resolve(environment().env(), err());
    String shown = SecretMasking.maskConnectionString(target);

    try (Database database = Database.open(target, create)) {
      DatabaseMetadata metadata = new DatabaseMetadata(database.jdbi());
      DatabaseState state = metadata.inspect();
      switch (state) {
        case FOREIGN ->
            throw new OperatorException(
                "The database "
                    + shown
                    + " holds tables that are not Sepia's. Sepia needs an empty database or one"
                    + " of its own. Nothing was changed.");
        case EMPTY, SEPIA_INCOMPLETE -> {
          if (!create) {
            throw new OperatorException(
                state == DatabaseState.EMPTY
                    ? "The database "
                        + shown
                        + " is empty. To build a Sepia database in it, add --create."
                    : "The database "
                        + shown
                        + " has a Sepia schema whose creation did not finish. Run the same"
                        + " command with --create to finish it.");
          }
          createSchema(database, config, givenKey, target);
        }
        case SEPIA -> attach(database, metadata, config, givenKey, target);
      }
    }
    return 0;
  }

  private void createSchema(
      Database database, ServerConfig config, SymmetricKey givenKey, String target) {
    SymmetricKey key = givenKey;
    boolean generated = false;
    if (key == null) {
      Optional<SymmetricKey> fromConfig = config.masterKey();
      if (fromConfig.isPresent()) {
        key = fromConfig.get();
      } else {
        key = SymmetricKey.generate();
        generated = true;
      }
    }
    Schema schema = new Schema(database);
    schema.migrate();
    Barrier barrier = Barrier.unsealed(Keyring.of(key));
    var certificate = Certificates.generateSelfSigned(ServerCertificateStore.COMMON_NAME);
    SymmetricKey finalKey = key;
    // The verifier is written last, in the same transaction as the certificate: a database
    // with a verifier is complete, and an interrupted --create can simply be run again.
    database
        .jdbi()
        .useTransaction(
            h -> {
              DatabaseMetadata.put(h, DatabaseMetadata.PRODUCT, "sepia");
              DatabaseMetadata.put(h, DatabaseMetadata.DATABASE_ID, UUID.randomUUID().toString());
              DatabaseMetadata.put(h, DatabaseMetadata.CREATED_AT, Instant.now().toString());
              new ServerCertificateStore(database.jdbi()).replace(h, barrier, certificate);
              DatabaseMetadata.put(
                  h, DatabaseMetadata.MASTER_KEY_VERIFIER, MasterKeyVerifier.create(finalKey));
              AuditLog.record(
                  h,
                  AuditLog.commandLineActor(),
                  "DatabaseCreated",
                  "Created the Sepia database (schema "
                      + schema.currentVersion()
                      + ") with master key id "
                      + finalKey.keyId()
                      + " and server certificate "
                      + certificate.thumbprint());
            });
    config.setConnectionString(target);
    config.setMasterKey(key);
    config.save();
    out()
        .println(
            "Created the Sepia database ("
                + database.kind().displayName()
                + ", schema version "
                + schema.currentVersion()
                + ").");
    out().println("Server certificate thumbprint: " + certificate.thumbprint());
    if (generated) {
      out().println("A new master key (id " + key.keyId() + ") was generated and saved in the");
      out().println("config, protected by this machine's key.");
    }
    out()
        .println(
            "Back up the master key now, somewhere other than this machine: sepia-server"
                + " show-master-key --instance "
                + config.instanceName()
                + " --shares 5 --threshold 3 (one share per person), or export-master-key"
                + " (see docs/escrow.md).");
  }

  private void attach(
      Database database,
      DatabaseMetadata metadata,
      ServerConfig config,
      SymmetricKey givenKey,
      String target) {
    String instance = config.instanceName();
    if (create) {
      out().println("The database is already a Sepia database; there is nothing to create.");
    }
    SymmetricKey key = givenKey;
    String keyProblem = null;
    if (givenKey != null) {
      if (MasterKeyGate.check(metadata, givenKey) != MasterKeyGate.Verdict.OPENS) {
        throw new OperatorException(
            "The master key "
                + keySource.described()
                + " (key id "
                + givenKey.keyId()
                + ") does not open this database (it was sealed with key id "
                + MasterKeyGate.databaseKeyId(metadata)
                + "). Nothing was changed. Check that the key (or its shares, or its export) comes"
                + " from show-master-key of the instance that created this database.");
      }
    } else {
      try {
        key = config.masterKey().orElse(null);
      } catch (OperatorException unreadable) {
        keyProblem = unreadable.getMessage();
      }
      if (key != null && MasterKeyGate.check(metadata, key) != MasterKeyGate.Verdict.OPENS) {
        keyProblem =
            "This instance's master key (key id "
                + key.keyId()
                + ") does not open this database (it was sealed with key id "
                + MasterKeyGate.databaseKeyId(metadata)
                + ").";
        key = null;
      } else if (key == null && keyProblem == null) {
        keyProblem = "This instance has no master key yet.";
      }
    }

    Schema schema = new Schema(database);
    if (key == null) {
      if (upgrade) {
        throw new OperatorException(
            keyProblem
                + " The schema is only upgraded with the right master key. Nothing was"
                + " changed.\n"
                + MasterKeyGate.waysOut(instance));
      }
      // Pointing an instance at a database it cannot open is the first step of recovering
      // from a lost master key, so the connection string is kept, with a plain warning.
      config.setConnectionString(target);
      config.save();
      out().println("Saved the connection string. WARNING: " + keyProblem);
      out()
          .println(
              "The server will not start until it has the right master key.\n"
                  + MasterKeyGate.waysOut(instance));
      return;
    }

    if (upgrade) {
      schema.requireNotNewer();
      int applied = schema.migrate();
      if (applied > 0) {
        new AuditLog(database.jdbi())
            .record(
                AuditLog.commandLineActor(),
                "DatabaseUpgraded",
                "Upgraded the schema to version " + schema.currentVersion());
      }
      out()
          .println(
              applied == 0
                  ? "The schema is already current (version " + schema.currentVersion() + ")."
                  : "Upgraded the schema to version "
                      + schema.currentVersion()
                      + " ("
                      + applied
                      + " step(s)).");
    } else if (schema.pendingMigrations() > 0) {
      out()
          .println(
              "Note: the schema is older than this server. Back up the database, then run:"
                  + " sepia-server database --instance "
                  + instance
                  + " --upgrade");
    }
    if (connectionString != null) {
      config.setConnectionString(target);
    }
    String handOver = null;
    if (givenKey != null) {
      handOver = RotationHandOver.apply(config, metadata, givenKey);
      config.setMasterKey(givenKey);
    }
    config.save();
    if (handOver != null) {
      out().println(handOver);
    }
    out()
        .println(
            "Instance '"
                + instance
                + "' uses the Sepia database "
                + SecretMasking.maskConnectionString(target)
                + " (master key id "
                + key.keyId()
                + ").");
  }
}
