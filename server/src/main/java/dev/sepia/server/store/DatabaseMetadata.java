package dev.sepia.server.store;

import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Facts about the database itself, kept in {@code sepia_metadata}. Reads never write. */
public final class DatabaseMetadata {
  public static final String PRODUCT = "product";
  public static final String MASTER_KEY_VERIFIER = "master_key_verifier";

  /**
   * The verifier of the previous master key, present exactly while a master key rotation is under
   * way (written and removed in the same transactions as the rotation's start and completion).
   */
  public static final String RETIRING_MASTER_KEY_VERIFIER = "retiring_master_key_verifier";

  public static final String CREATED_AT = "created_at";
  public static final String DATABASE_ID = "database_id";

  /**
   * Written by servers before escrow records existed, when an administrator confirmed a backup
   * without saying of which key. No longer read: the reminder now follows the current key id.
   */
  public static final String MASTER_KEY_BACKUP_ACKNOWLEDGED = "master_key_backup_acknowledged";

  /**
   * The last master key escrowed: its id, when, how and by whom (JSON; never the key). See
   * dev.sepia.server.escrow.MasterKeyEscrow.
   */
  public static final String MASTER_KEY_ESCROW = "master_key_escrow";

  private final Jdbi jdbi;

  public DatabaseMetadata(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public DatabaseState inspect() {
    return jdbi.withHandle(
        h -> {
          long tables =
              h.createQuery(
                      "SELECT COUNT(*) FROM information_schema.tables"
                          + " WHERE table_schema = CURRENT_SCHEMA")
                  .mapTo(Long.class)
                  .one();
          if (tables == 0) {
            return DatabaseState.EMPTY;
          }
          if (!hasTable(h, "sepia_metadata")) {
            return DatabaseState.FOREIGN;
          }
          return get(h, MASTER_KEY_VERIFIER).isPresent()
              ? DatabaseState.SEPIA
              : DatabaseState.SEPIA_INCOMPLETE;
        });
  }

  public Optional<String> get(String name) {
    return jdbi.withHandle(h -> get(h, name));
  }

  public static Optional<String> get(Handle h, String name) {
    return h.createQuery("SELECT item_value FROM sepia_metadata WHERE item_name = :name")
        .bind("name", name)
        .mapTo(String.class)
        .findOne();
  }

  public static void put(Handle h, String name, String value) {
    int updated =
        h.createUpdate("UPDATE sepia_metadata SET item_value = :value WHERE item_name = :name")
            .bind("name", name)
            .bind("value", value)
            .execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO sepia_metadata (item_name, item_value) VALUES (:name, :value)")
          .bind("name", name)
          .bind("value", value)
          .execute();
    }
  }

  public static void remove(Handle h, String name) {
    h.createUpdate("DELETE FROM sepia_metadata WHERE item_name = :name")
        .bind("name", name)
        .execute();
  }

  static boolean hasTable(Handle h, String table) {
    return h.createQuery(
                "SELECT COUNT(*) FROM information_schema.tables"
                    + " WHERE table_schema = CURRENT_SCHEMA AND LOWER(table_name) = :t")
            .bind("t", table)
            .mapTo(Long.class)
            .one()
        > 0;
  }
}
