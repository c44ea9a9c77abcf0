package dev.sepia.server.startup;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.rotation.KeyRotations;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.DatabaseState;
import dev.sepia.server.store.Schema;
import org.jdbi.v3.core.Jdbi;

/**
 * An instance whose database is open and whose master key has been verified against it. Every check
 * happens before anything is written: a wrong key, a foreign database or an old schema is refused
 * with the way out, and the database is left as it was.
 */
public final class OpenInstance implements AutoCloseable {
  private final ServerConfig config;
  private final Database database;
  private final Barrier barrier;

  private OpenInstance(ServerConfig config, Database database, Barrier barrier) {
    this.config = config;
    this.database = database;
    this.barrier = barrier;
  }

  public static OpenInstance open(ServerEnvironment environment, InstanceRecord instance) {
    ServerConfig config = environment.openConfig(instance);
    String name = instance.name();
    SymmetricKey key =
        config
            .masterKey()
            .orElseThrow(
                () ->
                    new OperatorException(
                        "Instance '"
                            + name
                            + "' has no master key in its config.\n"
                            + MasterKeyGate.waysOut(name)));
    Database database = Database.open(config.connectionString(), false);
    try {
      DatabaseMetadata metadata = new DatabaseMetadata(database.jdbi());
      DatabaseState state = metadata.inspect();
      if (state == DatabaseState.EMPTY || state == DatabaseState.SEPIA_INCOMPLETE) {
        throw new OperatorException(
            "The database of instance '"
                + name
                + "' has no finished Sepia schema. Build it with: sepia-server database --instance "
                + name
                + " --create");
      }
      if (state == DatabaseState.FOREIGN) {
        throw new OperatorException(
            "The database of instance '"
                + name
                + "' is not a Sepia database. Point the instance at its own database with:"
                + " sepia-server database --connectionString …");
      }
      // Only a database with a rotation under way (so with the rotations table) is asked.
      boolean sealWithNewKey =
          metadata.get(DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER).isEmpty()
              || new KeyRotations(database.jdbi())
                  .unfinished()
                  .map(KeyRotations.Rotation::sealsWithNewKey)
                  .orElse(true);
      Keyring keyring =
          MasterKeyGate.keyring(
              metadata, key, config.retiringMasterKey().orElse(null), sealWithNewKey, name);
      new Schema(database).requireCurrent(name);
      return new OpenInstance(config, database, Barrier.unsealed(keyring));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  public ServerConfig config() {
    return config;
  }

  public Database database() {
    return database;
  }

  public Jdbi jdbi() {
    return database.jdbi();
  }

  public Barrier barrier() {
    return barrier;
  }

  public String instanceName() {
    return config.instanceName();
  }

  @Override
  public void close() {
    database.close();
  }
}
