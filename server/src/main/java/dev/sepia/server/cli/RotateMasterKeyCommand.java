package dev.sepia.server.cli;

import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.cli.Prompts;
import dev.sepia.platform.config.SecretMasking;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.recovery.FaultPoints;
import dev.sepia.server.rotation.MasterKeyRotation;
import dev.sepia.server.rotation.RotationReport;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.DatabaseState;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.ServerNodes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "rotate-master-key",
    description = {
      "Replaces the master key with a new one and re-encrypts every sensitive value with it. The"
          + " server certificate is kept, so Tentacles keep trusting the server.",
      "Runs while servers keep serving: every value names the key that sealed it, so during the"
          + " rotation the old key still opens, and the new key seals once every running server"
          + " node holds it (until then they only open with it). A running server of this"
          + " instance takes the new key from its config by itself, without a restart; every"
          + " other server node on the database must be handed it with set-master-key --masterKey"
          + " <new key> (the command waits for that, see --waitForNodes). With no server running"
          + " it simply runs offline.",
      "Afterwards the old key opens nothing in this database: escrow the new key at once"
          + " (show-master-key or export-master-key), and keep the old one as long as you keep"
          + " backups taken before the rotation. A report is written to <home>/Reports. An"
          + " interrupted run is finished by running the same command again; nothing is lost."
    })
final class RotateMasterKeyCommand extends InstanceCommand {
  @Option(
      names = "--yes",
      description = "Rotate without asking (for automation). Without a terminal it is required.")
  boolean yes;

  @Option(
      names = "--waitForNodes",
      paramLabel = "DURATION",
      defaultValue = "2m",
      description =
          "How long to wait for every running server node to take the new key before"
              + " re-encrypting, e.g. 90s, 2m, 1h (default: ${DEFAULT-VALUE}). When it runs out"
              + " the command fails, naming the nodes; run it again to continue.")
  String waitForNodes;

  @Override
  public Integer call() {
    Duration wait = parseDuration(waitForNodes);
    ServerConfig config = config();
    String instance = config.instanceName();
    String shown = SecretMasking.maskConnectionString(config.connectionString());
    try (Database database = Database.open(config.connectionString(), false)) {
      if (new DatabaseMetadata(database.jdbi()).inspect() != DatabaseState.SEPIA) {
        throw new OperatorException(
            "The database "
                + shown
                + " is not a finished Sepia database, so there is no master key to rotate."
                + " Nothing was changed.");
      }
      new Schema(database).requireCurrent(instance);
      MasterKeyRotation rotation =
          new MasterKeyRotation(
              database.jdbi(), config, out(), FaultPoints.from(environment().env()));
      explain(rotation, database, shown);
      confirm(instance);
      MasterKeyRotation.Outcome outcome = rotation.run(AuditLog.commandLineActor(), wait);
      summarise(outcome, instance);
    }
    return 0;
  }

  private void explain(MasterKeyRotation rotation, Database database, String shown) {
    out()
        .println(
            "Rotating the master key of " + shown + " (" + database.kind().displayName() + ").");
    rotation
        .unfinished()
        .ifPresent(
            r ->
                out()
                    .println(
                        "An earlier rotation (key id "
                            + r.oldKeyId()
                            + " to "
                            + r.newKeyId()
                            + ") started at "
                            + r.startedAt()
                            + " did not finish; this run finishes it."));
    out().println("A new master key is made, and these stored values are re-encrypted with it:");
    rotation
        .storedValues()
        .forEach(
            (field, n) ->
                out().printf("  %8d  %s: %s%n", n, field.ownerKind(), field.description()));
    List<ServerNodes.Node> live = new ServerNodes(database.jdbi()).live();
    if (live.isEmpty()) {
      out().println("No server is running on this database: the rotation runs offline.");
    } else {
      out()
          .println(
              live.size()
                  + " server node(s) are running and keep serving during the rotation: "
                  + String.join(", ", live.stream().map(ServerNodes.Node::name).toList()));
    }
    out()
        .println(
            "The server certificate is kept. Afterwards the old key opens nothing here: escrow the"
                + " new one, and keep the old one for backups taken before now.");
    out().flush();
  }

  private void confirm(String instance) {
    if (yes) {
      return;
    }
    String hint = "Pass --yes to rotate without a prompt. Nothing was changed.";
    boolean confirmed;
    try {
      confirmed = Prompts.confirm("Rotate the master key of instance '" + instance + "'?", hint);
    } catch (OperatorException noTerminal) {
      // Without a terminal and without --yes the command was used wrongly: bad usage.
      throw new OperatorException(noTerminal.getMessage(), 2);
    }
    if (!confirmed) {
      throw new OperatorException("Nothing was changed.");
    }
  }

  private void summarise(MasterKeyRotation.Outcome outcome, String instance) {
    out().println();
    if (outcome.alreadyCompleted()) {
      out()
          .println(
              "The master key is key id "
                  + outcome.newKeyId()
                  + "; the rotation had already completed.");
      return;
    }
    out()
        .println(
            "Rotation complete: master key id "
                + outcome.oldKeyId()
                + " → "
                + outcome.newKeyId()
                + "; re-encrypted "
                + outcome.reEncrypted()
                + " value(s). Every stored value now opens with the new key only.");
    if (outcome.thumbprint() != null) {
      out().println("Kept server certificate thumbprint: " + outcome.thumbprint());
    }
    out().println("Report: " + outcome.report().markdown());
    out().println("        " + outcome.report().json());
    out().println();
    out().println("Next steps:");
    int n = 1;
    for (String step :
        RotationReport.nextSteps(instance, outcome.oldKeyId(), outcome.thumbprint())) {
      out().println("  " + (n++) + ". " + step);
    }
  }

  static Duration parseDuration(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.length() >= 2) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        switch (t.charAt(t.length() - 1)) {
          case 's':
            return Duration.ofSeconds(n);
          case 'm':
            return Duration.ofMinutes(n);
          case 'h':
            return Duration.ofHours(n);
          default:
            break;
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the usage error
    }
    throw new OperatorException(
        "--waitForNodes takes a number and a unit, e.g. 90s, 2m or 1h (got '"
            + text
            + "'). Nothing was changed.",
        2);
  }
}
