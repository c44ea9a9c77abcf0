package dev.sepia.server.recovery;

import dev.sepia.server.store.catalogue.EncryptedField;
import org.jdbi.v3.core.Handle;

/**
 * What the stores need to know about values a recovery cleared: whether an empty column means
 * "cleared, enter it again" (rather than "never set"), and the message that says so.
 */
public final class ClearedValues {
  private ClearedValues() {}

  /** Whether a recovery cleared this value and it has not been set again since. */
  public static boolean wasCleared(Handle h, EncryptedField field, String rowId) {
    return h.createQuery(
                "SELECT COUNT(*) FROM cleared_values WHERE table_name = :t AND column_name = :c"
                    + " AND row_id = :id")
            .bind("t", field.table())
            .bind("c", field.column())
            .bind("id", rowId)
            .mapTo(Long.class)
            .one()
        > 0;
  }

  /** The error for a value that is needed but was cleared, naming its owner and where to set it. */
  public static ClearedValueException failure(Handle h, EncryptedField field, String rowId) {
    Owner owner = Owners.of(h, field, rowId);
    return new ClearedValueException(field.clearedMessage(owner.name(), owner.place()));
  }
}
