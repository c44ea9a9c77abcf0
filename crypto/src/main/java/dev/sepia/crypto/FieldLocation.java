package dev.sepia.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where a sealed value lives: table, column and row id. It becomes the associated data of the
 * ciphertext, so a value copied onto another row, column or table does not decrypt. Table and
 * column are compared case-insensitively because SQL identifiers are (H2 upper-cases them,
 * PostgreSQL lower-cases them); the row id is exact.
 */
public record FieldLocation(String table, String column, String rowId) {

  private static final String DOMAIN = "sepia-field-v1";

  public FieldLocation {
    requireUsable("table", table);
    requireUsable("column", column);
    requireUsable("rowId", rowId);
  }

  // NUL separates the parts of the associated data, so it may not occur inside one.
  private static void requireUsable(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("A field location needs a non-blank " + name + ".");
    }
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "A field location's " + name + " may not contain NUL characters.");
    }
  }

  /** UTF-8 of "sepia-field-v1" NUL table NUL column NUL rowId, table and column lower-cased. */
  public byte[] associatedData() {
    String text =
        DOMAIN
            + '\0'
            + table.toLowerCase(Locale.ROOT)
            + '\0'
            + column.toLowerCase(Locale.ROOT)
            + '\0'
            + rowId;
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return table + "." + column + "[" + rowId + "]";
  }
}
