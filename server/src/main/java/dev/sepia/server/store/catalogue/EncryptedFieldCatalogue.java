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
          "private key (used for Tentacle communication)",
          "SELECT c.id AS row_id, c.subject || ' (thumbprint ' || c.thumbprint || ')' AS"
              + " owner_name, NULL AS link, 'sepia-server new-certificate' AS place"
              + " FROM server_certificate c WHERE c.id IN (<ids>)",
          EncryptedField.WhenKeyLost.REGENERATE);

  public static final EncryptedField SENSITIVE_VARIABLE =
      new EncryptedField(
          "variables",
          "sensitive_value",
          "id",
          "name",
          "Sensitive variable",
          "value",
          "SELECT v.id AS row_id,"
              + " v.name || COALESCE(' of project ' || p.name, ' of library variable set '"
              + " || l.name, '') AS owner_name,"
              + " CASE WHEN p.id IS NOT NULL THEN '/projects/' || p.id || '/variables'"
              + " WHEN l.id IS NOT NULL THEN '/library-sets/' || l.id END AS link,"
              + " COALESCE('Projects › ' || p.name || ' › Variables', 'Library sets › '"
              + " || l.name) AS place,"
              + " v.scope_environments, v.scope_roles, v.scope_machines"
              + " FROM variables v LEFT JOIN projects p ON p.id = v.owner_id"
              + " LEFT JOIN library_variable_sets l ON l.id = v.owner_id"
              + " WHERE v.id IN (<ids>)",
          EncryptedField.WhenKeyLost.CLEAR);

  public static final EncryptedField STEP_SENSITIVE_PARAMETER =
      new EncryptedField(
          "step_sensitive_parameters",
          "sealed_value",
          "id",
          "name",
          "Sensitive step parameter",
          "value",
          "SELECT sp.id AS row_id,"
              + " sp.name || ' of step ' || s.name || ' in project ' || p.name AS owner_name,"
              + " '/projects/' || p.id || '/process' AS link,"
              + " 'Projects › ' || p.name || ' › Process › ' || s.name AS place"
              + " FROM step_sensitive_parameters sp JOIN deployment_steps s ON s.id = sp.step_id"
              + " JOIN projects p ON p.id = s.project_id WHERE sp.id IN (<ids>)",
          EncryptedField.WhenKeyLost.CLEAR);

  public static final EncryptedField ACCOUNT_PASSWORD = account("password", "password");

  public static final EncryptedField ACCOUNT_PRIVATE_KEY =
      account("private_key", "SSH private key");

  public static final EncryptedField ACCOUNT_PASSPHRASE =
      account("passphrase", "SSH private key passphrase");

  public static final EncryptedField ACCOUNT_TOKEN = account("token", "token");

  public static final EncryptedField LIBRARY_CERTIFICATE_PRIVATE_KEY =
      new EncryptedField(
          "certificates",
          "private_key",
          "id",
          "name",
          "Certificate",
          "private key",
          "SELECT c.id AS row_id, c.name || ' (thumbprint ' || c.thumbprint || ')' AS owner_name,"
              + " '/infrastructure/certificates/' || c.id AS link,"
              + " 'Library › Certificates › ' || c.name AS place"
              + " FROM certificates c WHERE c.id IN (<ids>)",
          EncryptedField.WhenKeyLost.CLEAR);

  public static final EncryptedField OFFLINE_DROP_PASSWORD =
      new EncryptedField(
          "machines",
          "drop_password",
          "id",
          "name",
          "Offline package drop target",
          "bundle encryption password",
          "SELECT m.id AS row_id, m.name AS owner_name,"
              + " '/infrastructure/targets/' || m.id AS link,"
              + " 'Infrastructure › Deployment targets › ' || m.name AS place"
              + " FROM machines m WHERE m.id IN (<ids>)",
          EncryptedField.WhenKeyLost.CLEAR);

  public static final EncryptedField RELEASE_SENSITIVE_VALUE =
      new EncryptedField(
          "release_sensitive_values",
          "sealed_value",
          "id",
          "name",
          "Release snapshot",
          "sensitive value",
          "SELECT rv.id AS row_id,"
              + " rv.name || ' in release ' || r.version || ' of project ' || p.name AS"
              + " owner_name,"
              + " '/projects/' || p.id AS link,"
              + " 'Projects › ' || p.name || ' › Create release' AS place"
              + " FROM release_sensitive_values rv JOIN releases r ON r.id = rv.release_id"
              + " JOIN projects p ON p.id = r.project_id WHERE rv.id IN (<ids>)",
          EncryptedField.WhenKeyLost.CLEAR);

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

  /** The four secrets of an account share one owner query. */
  private static EncryptedField account(String column, String description) {
    return new EncryptedField(
        "accounts",
        column,
        "id",
        "name",
        "Account",
        description,
        "SELECT a.id AS row_id, a.name AS owner_name,"
            + " '/infrastructure/accounts/' || a.id AS link,"
            + " 'Infrastructure › Accounts › ' || a.name AS place"
            + " FROM accounts a WHERE a.id IN (<ids>)",
        EncryptedField.WhenKeyLost.CLEAR);
  }

  public static List<EncryptedField> all() {
    return ALL;
  }

  public static Optional<EncryptedField> find(String table, String column) {
    return ALL.stream()
        .filter(f -> f.table().equalsIgnoreCase(table) && f.column().equalsIgnoreCase(column))
        .findFirst();
  }
}
