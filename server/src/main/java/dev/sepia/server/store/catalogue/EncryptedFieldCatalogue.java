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

  public static final EncryptedField SENSITIVE_VARIABLE =
      new EncryptedField(
          "variables", "sensitive_value", "id", "name", "Sensitive variable", "value");

  public static final EncryptedField STEP_SENSITIVE_PARAMETER =
      new EncryptedField(
          "step_sensitive_parameters",
          "sealed_value",
          "id",
          "name",
          "Sensitive step parameter",
          "value");

  public static final EncryptedField ACCOUNT_PASSWORD =
      new EncryptedField("accounts", "password", "id", "name", "Account", "password");

  public static final EncryptedField ACCOUNT_PRIVATE_KEY =
      new EncryptedField("accounts", "private_key", "id", "name", "Account", "SSH private key");

  public static final EncryptedField ACCOUNT_PASSPHRASE =
      new EncryptedField(
          "accounts", "passphrase", "id", "name", "Account", "SSH private key passphrase");

  public static final EncryptedField ACCOUNT_TOKEN =
      new EncryptedField("accounts", "token", "id", "name", "Account", "token");

  public static final EncryptedField LIBRARY_CERTIFICATE_PRIVATE_KEY =
      new EncryptedField("certificates", "private_key", "id", "name", "Certificate", "private key");

  public static final EncryptedField OFFLINE_DROP_PASSWORD =
      new EncryptedField(
          "machines",
          "drop_password",
          "id",
          "name",
          "Offline package drop target",
          "bundle encryption password");

  public static final EncryptedField RELEASE_SENSITIVE_VALUE =
      new EncryptedField(
          "release_sensitive_values",
          "sealed_value",
          "id",
          "name",
          "Release snapshot",
          "sensitive value");

  private static final List<EncryptedField> ALL =
      List.of(
          SERVER_CERTIFICATE_PRIVATE_KEY,
          SENSITIVE_VARIABLE,
          STEP_SENSITIVE_PARAMETER,
          ACCOUNT_PASSWORD,
          ACCOUNT_PRIVATE_KEY,
          ACCOUNT_PASSPHRASE,
          ACCOUNT_TOKEN,
          LIBRARY_CERTIFICATE_PRIVATE_KEY,
          OFFLINE_DROP_PASSWORD,
          RELEASE_SENSITIVE_VALUE);

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
