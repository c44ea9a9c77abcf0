package dev.sepia.server.cli;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.Prompts;
import dev.sepia.platform.config.SecretMasking;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.recovery.FaultPoints;
import dev.sepia.server.recovery.LostMasterKeyRecovery;
import dev.sepia.server.recovery.Recoveries;
import dev.sepia.server.recovery.RecoveryReport;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.DatabaseState;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.ServerNodes;
import dev.sepia.server.store.catalogue.EncryptedField;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "lost-master-key",
    description = {
      "Recovers a database whose master key is lost for good: every value sealed with the lost"
          + " key is cleared and listed for re-entry, a new master key and server certificate are"
          + " made, and a report says what to do next (re-trust Tentacles, re-enter values).",
      "Stop every server on the database first, and back the database up: this cannot be"
          + " undone. An interrupted run is finished by running the same command again."
    })
final class LostMasterKeyCommand extends InstanceCommand {
  private static final String FLAGS =
      "--iReallyWantToResetAllMySensitiveData --iHaveBackedUpMyDatabase";

  @Option(
      names = "--skipCurrentMasterKeyTest",
      description =
          "Go on even if this instance's master key opens the database. That key is then kept,"
              + " and only values it cannot open are cleared.")
  boolean skipCurrentMasterKeyTest;

  @Option(
      names = "--iReallyWantToResetAllMySensitiveData",
      description =
          "Confirms, without a prompt, that every value sealed with the lost key is to be"
              + " cleared. Needs --iHaveBackedUpMyDatabase too.")
  boolean resetConfirmed;

  @Option(
      names = "--iHaveBackedUpMyDatabase",
      description =
          "Confirms, without a prompt, that the database is backed up. Needs"
              + " --iReallyWantToResetAllMySensitiveData too.")
  boolean backupConfirmed;

  @Override
  public Integer call() {
    if (resetConfirmed != backupConfirmed) {
      throw new OperatorException(
          "Pass both " + FLAGS + " to confirm without prompts, or neither to be asked.", 2);
    }
    ServerConfig config = config();
    String instance = config.instanceName();
    String shown = SecretMasking.maskConnectionString(config.connectionString());
    try (Database database = Database.open(config.connectionString(), false)) {
      DatabaseMetadata metadata = new DatabaseMetadata(database.jdbi());
      if (metadata.inspect() != DatabaseState.SEPIA) {
        throw new OperatorException(
            "The database "
                + shown
                + " is not a finished Sepia database, so there is nothing to recover. Point the"
                + " instance at the database to recover with: sepia-server database --instance "
                + instance
                + " --connectionString \"<JDBC connection string>\"");
      }
      refuseWhileServersRun(database);

      SymmetricKey currentKey = readableKey(config);
      boolean currentKeyOpens =
          currentKey != null
              && MasterKeyGate.check(metadata, currentKey) == MasterKeyGate.Verdict.OPENS;
      if (currentKeyOpens && !skipCurrentMasterKeyTest) {
        throw new OperatorException(
            "The master key of instance '"
                + instance
                + "' (key id "
                + currentKey.keyId()
                + ") opens this database: nothing is lost, and nothing was changed. Start the"
                + " server as usual. (To clear only the values this key cannot open, add"
                + " --skipCurrentMasterKeyTest.)");
      }

      Schema schema = new Schema(database);
      schema.requireNotNewer();
      LostMasterKeyRecovery recovery =
          new LostMasterKeyRecovery(database.jdbi(), config, out(), FaultPoints.from(env()));
      explain(recovery, currentKeyOpens, database, shown, schema.pendingMigrations() == 0);
      confirm(instance);

      if (schema.pendingMigrations() > 0) {
        int applied = schema.migrate();
        out()
            .println(
                "Upgraded the schema to version "
                    + schema.currentVersion()
                    + " ("
                    + applied
                    + " step(s)).");
      }
      LostMasterKeyRecovery.Outcome outcome =
          recovery.run(currentKey, currentKeyOpens, AuditLog.commandLineActor());
      summarise(outcome, instance);
    }
    return 0;
  }

  private Map<String, String> env() {
    return environment().env();
  }

  private void refuseWhileServersRun(Database database) {
    List<ServerNodes.Node> live = new ServerNodes(database.jdbi()).live();
    if (live.isEmpty()) {
      return;
    }
    StringBuilder names = new StringBuilder();
    for (ServerNodes.Node node : live) {
      names
          .append("\n  ")
          .append(node.name())
          .append(" on ")
          .append(node.host())
          .append(" (pid ")
          .append(node.pid())
          .append(", ")
          .append(node.webUrl())
          .append(", last seen ")
          .append(node.lastSeenAt())
          .append(")");
    }
    throw new OperatorException(
        "A Sepia server is running on this database:"
            + names
            + "\nStop every one of them first (on its machine: sepia-server service --stop"
            + " --instance <name>), then run this command again. Nothing was changed.");
  }

  /** The config's key, or null when it has none or it was protected on another machine. */
  private SymmetricKey readableKey(ServerConfig config) {
    try {
      return config.masterKey().orElse(null);
    } catch (OperatorException unreadable) {
      out()
          .println("Note: this instance's master key cannot be read here; a new one will be made.");
      return null;
    }
  }

  private void explain(
      LostMasterKeyRecovery recovery,
      boolean keepKey,
      Database database,
      String shown,
      boolean schemaCurrent) {
    out().println("Recovering the database " + shown + " (" + database.kind().displayName() + ").");
    if (!schemaCurrent) {
      // The recoveries table may not exist yet: no earlier run to look for.
      out().println("Its schema is older than this server and will be upgraded first.");
    }
    (schemaCurrent ? recovery.unfinished() : java.util.Optional.<Recoveries.Unfinished>empty())
        .ifPresent(
            u ->
                out()
                    .println(
                        "An earlier run started at "
                            + u.startedAt()
                            + " did not finish ("
                            + u.clearedCount()
                            + " value(s) cleared so far); this run finishes it."));
    out()
        .println(
            keepKey
                ? "The current master key is kept. Every stored value it cannot open will be"
                    + " cleared; the values it opens are kept. Stored sensitive values:"
                : "Every value sealed with the lost master key can never be read again. These"
                    + " will be cleared (set to empty) and listed for you to enter again:");
    recovery
        .storedValues()
        .forEach(
            (field, n) -> {
              if (field.whenKeyLost() == EncryptedField.WhenKeyLost.CLEAR) {
                out().printf("  %8d  %s: %s%n", n, field.ownerKind(), field.description());
              }
            });
    out()
        .println(
            "The server certificate is replaced by a new one unless it opens with the new key;"
                + " every Tentacle must then be told to trust the new thumbprint.");
    out().println("This cannot be undone. Back up the database before you go on.");
    out().flush();
  }

  private void confirm(String instance) {
    if (resetConfirmed && backupConfirmed) {
      return;
    }
    String hint =
        "To confirm without prompts (automation), pass " + FLAGS + ". Nothing was changed.";
    if (!Prompts.confirm("Have you backed up the database?", hint)) {
      throw new OperatorException("Back up the database first. Nothing was changed.");
    }
    if (!Prompts.confirm(
        "Clear every sensitive value of instance '" + instance + "' that the lost key sealed?",
        hint)) {
      throw new OperatorException("Nothing was changed.");
    }
  }

  private void summarise(LostMasterKeyRecovery.Outcome outcome, String instance) {
    out().println();
    out()
        .println(
            "Recovery complete: cleared "
                + outcome.clearedCount()
                + " sensitive value(s); the database now opens with master key id "
                + outcome.newKeyId()
                + ".");
    out()
        .println(
            (outcome.certificateReplaced() ? "New" : "Kept")
                + " server certificate thumbprint: "
                + outcome.thumbprint());
    out().println("Report: " + outcome.report().markdown());
    out().println("        " + outcome.report().json());
    out().println();
    out().println("On every Tentacle machine, run:");
    for (String command : RecoveryReport.tentacleCommands(outcome.thumbprint())) {
      out().println("  " + command);
    }
    out().println();
    out().println("Next steps:");
    int n = 1;
    for (String step : RecoveryReport.nextSteps(instance, outcome.thumbprint())) {
      out().println("  " + (n++) + ". " + step);
    }
  }
}
