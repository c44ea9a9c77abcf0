package dev.sepia.server.store.catalogue;

import java.util.List;
import java.util.Optional;

/**
 * Every column that holds ciphertext, declared once. Whatever must touch all secrets (recovery
 * after a lost master key, rotation, backup verification, the "values to re-enter" list) walks this
 * list and nothing else; a test fails if ciphertext turns up in a column not listed here.
 */
public final class EncryptedFieldCatalogue {
  public static final EncryptedField SERVER_CERTIFICATE_PRIVATE_KEY =
      new EncryptedField(
          "server_certificate",
          "private_key",
          "id",
          "subject",
          "Server certificate",
          "private key (used for Tentacle communication)");

  private static final List<EncryptedField> ALL = List.of(SERVER_CERTIFICATE_PRIVATE_KEY);

  private EncryptedFieldCatalogue() {}

  public static List<EncryptedField> all() {
    return ALL;
  }

  public static Optional<EncryptedField> find(String table, String column) {
    return ALL.stream()
        .filter(f -> f.table().equalsIgnoreCase(table) && f.column().equalsIgnoreCase(column))
        .findFirst();
  }
}
