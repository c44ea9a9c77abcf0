package dev.sepia.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.crypto.FieldCipher;
import dev.sepia.server.TestServer;
import dev.sepia.server.model.certificates.TestCertificates;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every ciphertext in the database lives in a catalogued column, and every catalogued column
 * exists. Recovery and rotation walk the catalogue only, so a sealed value anywhere else would be
 * silently lost or left behind. The database is filled through the API of a real server with every
 * kind of secret the server keeps, so each catalogued column is shown to be the one that is used.
 */
class CatalogueScanTest {
  private static final String MARK = UUID.randomUUID().toString().substring(0, 8);
  private static final String PROJECT_SECRET = "project-secret-" + MARK;
  private static final String LIBRARY_SECRET = "library-secret-" + MARK;
  private static final String STEP_SECRET = "step-secret-" + MARK;
  private static final String ACCOUNT_PASSWORD = "account-password-" + MARK;
  private static final String KEY_PASSPHRASE = "key-passphrase-" + MARK;
  private static final String TOKEN = "account-token-" + MARK;
  private static final String PFX_PASSWORD = "pfx-password-" + MARK;
  private static final String DROP_PASSWORD = "drop-password-" + MARK;

  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void populatedDatabase_holdsNoCiphertextOutsideTheCatalogue(DatabaseKind kind) throws Exception {
    String url = TestDatabases.emptyDatabase(kind, temp);
    try (TestServer server = TestServer.start(temp.resolve("server"), url)) {
      populate(server);
    }

    try (Database db = Database.open(url, false)) {
      List<String> sealedOutside = new ArrayList<>();
      Map<String, Long> sealedPerCatalogued = new LinkedHashMap<>();
      List<String> plainSecrets = new ArrayList<>();
      long sealedInside =
          db.jdbi()
              .withHandle(
                  h -> {
                    long inside = 0;
                    for (String[] column : textColumns(h)) {
                      List<String> values = values(h, column[0], column[1]);
                      long sealed =
                          values.stream()
                              .filter(v -> v != null && FieldCipher.looksSealed(v))
                              .count();
                      boolean catalogued =
                          EncryptedFieldCatalogue.find(column[0], column[1]).isPresent();
                      if (sealed > 0 && !catalogued) {
                        sealedOutside.add(column[0] + "." + column[1]);
                      }
                      if (catalogued) {
                        inside += sealed;
                        sealedPerCatalogued.put(key(column[0], column[1]), sealed);
                      }
                      for (String value : values) {
                        if (value != null && value.contains(MARK)) {
                          plainSecrets.add(column[0] + "." + column[1]);
                        }
                      }
                    }
                    return inside;
                  });
      assertThat(sealedOutside).as("columns holding ciphertext outside the catalogue").isEmpty();
      assertThat(sealedInside).as("sealed values found in catalogued columns").isPositive();
      assertThat(plainSecrets).as("columns holding a secret in clear text").isEmpty();

      List<String> columns =
          db.jdbi().withHandle(h -> textColumns(h).stream().map(c -> key(c[0], c[1])).toList());
      for (EncryptedField field : EncryptedFieldCatalogue.all()) {
        assertThat(columns).as("catalogued column exists").contains(field.toString());
        assertThat(sealedPerCatalogued.getOrDefault(field.toString(), 0L))
            .as("sealed values in catalogued column %s", field)
            .isPositive();
      }
    }
  }

  /** Stores one secret of every kind the server keeps, as a user would. */
  private void populate(TestServer server) throws Exception {
    String environment = created(server.post("/api/environments", Map.of("name", "Production")));

    String library = created(server.post("/api/libraryvariablesets", Map.of("name", "Shared")));
    ok(
        server.put(
            "/api/libraryvariablesets/" + library + "/variables",
            Map.of("variables", List.of(sensitive("LibraryPassword", LIBRARY_SECRET)))));

    String project =
        created(
            server.post(
                "/api/projects",
                Map.of("name", "Shop", "libraryVariableSetIds", List.of(library))));
    ok(
        server.put(
            "/api/projects/" + project + "/variables",
            Map.of(
                "variables",
                List.of(
                    sensitive("DbPassword", PROJECT_SECRET),
                    Map.of("name", "Plain", "value", "plain value")))));
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("name", "Install");
    step.put("targetRoles", List.of("app"));
    step.put("script", "echo #{DbPassword} #{LibraryPassword} #{Parameters.ApiKey}");
    step.put("sensitiveParameters", Map.of("ApiKey", STEP_SECRET));
    ok(server.put("/api/projects/" + project + "/process", Map.of("steps", List.of(step))));
    // The release snapshot re-seals every sensitive value of the project and its library set.
    created(server.post("/api/releases", Map.of("projectId", project)));

    created(
        server.post(
            "/api/accounts",
            Map.of(
                "name",
                "password account",
                "kind",
                "UsernamePassword",
                "username",
                "deploy",
                "password",
                ACCOUNT_PASSWORD)));
    created(
        server.post(
            "/api/accounts",
            Map.of(
                "name",
                "key account",
                "kind",
                "SshKeyPair",
                "username",
                "deploy",
                "privateKey",
                encryptedOpenSshKey(KEY_PASSPHRASE),
                "passphrase",
                KEY_PASSPHRASE)));
    created(
        server.post(
            "/api/accounts", Map.of("name", "token account", "kind", "Token", "token", TOKEN)));

    created(
        server.post(
            "/api/certificates",
            Map.of(
                "name",
                "shop-tls",
                "certificateData",
                TestCertificates.pfxBase64(
                    TestCertificates.selfSigned("shop.example"), PFX_PASSWORD),
                "password",
                PFX_PASSWORD)));

    Path drop = Files.createDirectories(temp.resolve("drop"));
    created(
        server.post(
            "/api/machines",
            Map.of(
                "name",
                "drop01",
                "communicationStyle",
                "OfflineDrop",
                "environments",
                List.of("Production"),
                "roles",
                List.of("app"),
                "offlineDrop",
                Map.of("folder", drop.toString(), "password", DROP_PASSWORD))));
    assertThat(environment).isNotBlank();
  }

  private static Map<String, Object> sensitive(String name, String value) {
    return Map.of("name", name, "value", value, "isSensitive", true);
  }

  private static String created(TestServer.Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    JsonNode id = response.body().get("id");
    assertThat(id).as(response.text()).isNotNull();
    return id.asText();
  }

  private static void ok(TestServer.Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(200);
  }

  private static String encryptedOpenSshKey(String passphrase) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair key = generator.generateKeyPair();
    OpenSSHKeyEncryptionContext encryption = new OpenSSHKeyEncryptionContext();
    encryption.setPassword(passphrase);
    encryption.setCipherName("AES");
    encryption.setCipherType("256");
    encryption.setCipherMode("CTR");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "deploy", encryption, out);
    return out.toString(StandardCharsets.US_ASCII);
  }

  private static String key(String table, String column) {
    return (table + "." + column).toLowerCase(Locale.ROOT);
  }

  private static List<String[]> textColumns(Handle h) {
    return h.createQuery(
            "SELECT table_name, column_name FROM information_schema.columns"
                + " WHERE table_schema = CURRENT_SCHEMA"
                + " AND LOWER(data_type) IN ('text', 'character varying', 'varchar',"
                + " 'character large object', 'clob')")
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
        .list();
  }

  private static List<String> values(Handle h, String table, String column) {
    return h.createQuery("SELECT \"" + column + "\" FROM \"" + table + "\"")
        .mapTo(String.class)
        .list();
  }
}
