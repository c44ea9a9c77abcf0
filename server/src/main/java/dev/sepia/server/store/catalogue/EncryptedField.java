package dev.sepia.server.store.catalogue;

/**
 * One database column that holds values sealed with the master key.
 *
 * @param table the table
 * @param column the column holding the sealed text
 * @param idColumn the row's primary key, part of each value's associated data
 * @param nameColumn a column that names the row for an operator (e.g. a variable's name)
 * @param ownerKind what owns the value, for reports ("Server certificate", "Sensitive variable")
 * @param description what the value is, in an operator's words
 */
public record EncryptedField(
    String table,
    String column,
    String idColumn,
    String nameColumn,
    String ownerKind,
    String description) {

  /** How the value is labelled in reports: "Server certificate CN=Sepia Server: private key". */
  public String label(String rowName) {
    return ownerKind + " " + rowName + ": " + description;
  }

  @Override
  public String toString() {
    return table + "." + column;
  }
}
