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
 * @param ownerQuery how to find who owns each value, for reports and error messages: a query taking
 *     a list of row ids as {@code <ids>} and returning, per row, {@code row_id}, {@code owner_name}
 *     (the owner in words, e.g. "DbPassword of project Shop"), {@code link} (where the value is
 *     entered in the web UI, or null) and {@code place} (the same in menu words, e.g. "Projects ›
 *     Shop › Variables"); optionally also {@code scope_environments}, {@code scope_roles} and
 *     {@code scope_machines} as JSON lists
 * @param whenKeyLost what a recovery from a lost master key does with a value it cannot open
 */
public record EncryptedField(
    String table,
    String column,
    String idColumn,
    String nameColumn,
    String ownerKind,
    String description,
    String ownerQuery,
    WhenKeyLost whenKeyLost) {

  /** What becomes of a value that can no longer be opened. */
  public enum WhenKeyLost {
    /** Set to NULL and listed, so that a person enters it again. */
    CLEAR,
    /** Replaced by a newly generated one (the column cannot be empty). */
    REGENERATE
  }

  /** A column described without an owner query; recoveries label its rows by name only. */
  public EncryptedField(
      String table,
      String column,
      String idColumn,
      String nameColumn,
      String ownerKind,
      String description) {
    this(
        table,
        column,
        idColumn,
        nameColumn,
        ownerKind,
        description,
        "SELECT "
            + idColumn
            + " AS row_id, "
            + nameColumn
            + " AS owner_name, NULL AS link, NULL AS place FROM "
            + table
            + " WHERE "
            + idColumn
            + " IN (<ids>)",
        WhenKeyLost.CLEAR);
  }

  /** How the value is labelled in reports: "Server certificate CN=Sepia Server: private key". */
  public String label(String rowName) {
    return ownerKind + " " + rowName + ": " + description;
  }

  /**
   * The sentence for a value that a recovery cleared: "The value of sensitive variable DbPassword
   * of project Shop was cleared … set it again (Projects › Shop › Variables)."
   */
  public String clearedMessage(String ownerName, String place) {
    if (isFrozenCopy()) {
      return "The "
          + description
          + " "
          + ownerName
          + " was cleared by a recovery from a lost master key and cannot be entered again,"
          + " since a release keeps the values it was created with: create a new release"
          + (place == null ? "" : " (" + place + ")")
          + " once the project's values are set again.";
    }
    return "The "
        + description
        + " of "
        + ownerKind.toLowerCase(java.util.Locale.ROOT)
        + " "
        + ownerName
        + " was cleared by a recovery from a lost master key; set it again"
        + (place == null ? "." : " (" + place + ").");
  }

  /**
   * Whether this column holds copies frozen into releases: cleared ones are reported, but nobody
   * enters them again — a new release takes the project's current values.
   */
  public boolean isFrozenCopy() {
    return table.equals("release_sensitive_values");
  }

  @Override
  public String toString() {
    return table + "." + column;
  }
}
