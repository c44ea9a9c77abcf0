package dev.sepia.server.cli;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.escrow.MasterKeyEscrow;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.DatabaseState;
import java.io.PrintWriter;

/**
 * After a command handed the master key to a person (shown, split or exported), records that in the
 * database so the server's reminder ends. Called only once the key is out: escrow must work when
 * the database is down, so failing to record is a note on stderr, never a failure.
 */
final class EscrowRecording {
  private EscrowRecording() {}

  /** Records that {@code key} was escrowed {@code how}, and says on {@code err} whether it was. */
  static void record(ServerConfig config, SymmetricKey key, String how, PrintWriter err) {
    String instance = config.instanceName();
    String later =
        " The server keeps reminding administrators until it is recorded: run this command again"
            + " when the database is reachable, or confirm with \"I have backed it up\" in the"
            + " web UI.";
    if (!config.hasConnectionString()) {
      err.println(
          "Note: instance '"
              + instance
              + "' has no database yet, so this backup of master key "
              + key.keyId()
              + " was not recorded.");
      err.flush();
      return;
    }
    try (Database database = Database.open(config.connectionString(), false)) {
      DatabaseMetadata metadata = new DatabaseMetadata(database.jdbi());
      if (metadata.inspect() != DatabaseState.SEPIA) {
        err.println(
            "Note: the instance's database is not a finished Sepia database, so this backup was"
                + " not recorded.");
      } else if (MasterKeyGate.check(metadata, key) != MasterKeyGate.Verdict.OPENS) {
        err.println(
            "Note: master key "
                + key.keyId()
                + " does not open the instance's database (it was sealed with key id "
                + MasterKeyGate.databaseKeyId(metadata)
                + "), so it was not recorded as that database's backed-up key.");
      } else {
        new MasterKeyEscrow(database.jdbi()).record(key.keyId(), how, AuditLog.commandLineActor());
        err.println(
            "Recorded in the database that master key "
                + key.keyId()
                + " is backed up; the server's reminder ends.");
      }
    } catch (OperatorException e) {
      err.println(
          "Note: the database could not be reached ("
              + firstLine(e.getMessage())
              + "), so this backup was not recorded."
              + later);
    } catch (RuntimeException e) {
      err.println(
          "Note: the database could not be reached ("
              + e.getClass().getSimpleName()
              + "), so this backup was not recorded."
              + later);
    }
    err.flush();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
