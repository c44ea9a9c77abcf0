package dev.sepia.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.CliRunner;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.TestServer;
import dev.sepia.server.cli.ServerMain;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.model.certificates.TestCertificates;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import picocli.CommandLine;

/**
 * Databases to recover, and the instance that recovers them: the "old" instance made the database
 * on one machine (its own machine folder); the "new" instance lives on another machine, has its own
 * master key, and is pointed at the old database the way an operator would.
 */
final class RecoveryFixture {
  static final String NEW_INSTANCE = "Rescue";

  final Path temp;
  final String url;
  final Map<String, String> oldEnv;
  final String oldInstance;
  final Map<String, String> newEnv;

  private RecoveryFixture(Path temp, String url, Path oldMachine, String oldInstance) {
    this.temp = temp;
    this.url = url;
    this.oldEnv = Map.of("SEPIA_MACHINE_DIR", oldMachine.toString());
    this.oldInstance = oldInstance;
    this.newEnv = Map.of("SEPIA_MACHINE_DIR", temp.resolve("new-machine").toString());
  }

  /** A database made by the old instance, with only its server certificate sealed. */
  static RecoveryFixture created(Path temp, String url) {
    RecoveryFixture f = new RecoveryFixture(temp, url, temp.resolve("old-machine"), "Old");
    f.must(f.oldEnv, "create-instance", "--instance", "Old", "--config", f.oldConfig().toString());
    f.must(f.oldEnv, "database", "--connectionString", url, "--create");
    return f;
  }

  /** The new machine's instance: its own throwaway database, then pointed at the old one. */
  void lostKeyInstance() {
    must(newEnv, "create-instance", "--instance", NEW_INSTANCE, "--config", newConfig().toString());
    must(
        newEnv,
        "database",
        "--connectionString",
        "jdbc:h2:file:" + temp.resolve("throwaway").resolve("sepia"),
        "--create");
    Run pointed = run(newEnv, "database", "--connectionString", url);
    assertThat(pointed.exit()).as(pointed.toString()).isZero();
    assertThat(pointed.out()).contains("WARNING");
  }

  Path oldConfig() {
    return temp.resolve("old").resolve("server.config.json");
  }

  Path newConfig() {
    return temp.resolve("new").resolve("server.config.json");
  }

  Path newHome() {
    return newConfig().getParent();
  }

  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "\n--- err\n" + err;
    }
  }

  static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ServerMain(new ServerEnvironment(env)));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = CliRunner.execute(cli, args, env);
    return new Run(exit, out.toString(), err.toString());
  }

  void must(Map<String, String> env, String... args) {
    Run r = run(env, args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isZero();
  }

  /** Runs lost-master-key on the new instance, with extra environment (fault points). */
  Run recover(Map<String, String> extraEnv, String... flags) {
    Map<String, String> env = new HashMap<>(newEnv);
    env.putAll(extraEnv);
    List<String> args = new ArrayList<>(List.of("lost-master-key", "--instance", NEW_INSTANCE));
    args.addAll(List.of(flags));
    return run(env, args.toArray(String[]::new));
  }

  Run recoverConfirmed(Map<String, String> extraEnv) {
    return recover(extraEnv, "--iReallyWantToResetAllMySensitiveData", "--iHaveBackedUpMyDatabase");
  }

  SymmetricKey key(Map<String, String> env, String instance) {
    ServerEnvironment environment = new ServerEnvironment(env);
    InstanceRecord record = environment.registry().resolve(instance);
    ServerConfig config = environment.openConfig(record);
    return config.masterKey().orElseThrow();
  }

  SymmetricKey oldKey() {
    return key(oldEnv, oldInstance);
  }

  SymmetricKey newKey() {
    return key(newEnv, NEW_INSTANCE);
  }

  Database open() {
    return Database.open(url, false);
  }

  /** Every stored value of every catalogued column: "table.column/row id" → sealed text. */
  Map<String, String> storedValues() {
    Map<String, String> values = new LinkedHashMap<>();
    try (Database db = open()) {
      db.jdbi()
          .useHandle(
              h -> {
                for (EncryptedField f : EncryptedFieldCatalogue.all()) {
                  h.createQuery(
                          "SELECT "
                              + f.idColumn()
                              + ", "
                              + f.column()
                              + " FROM "
                              + f.table()
                              + " WHERE "
                              + f.column()
                              + " IS NOT NULL")
                      .map((rs, ctx) -> Map.entry(f + "/" + rs.getString(1), rs.getString(2)))
                      .forEach(e -> values.put(e.getKey(), e.getValue()));
                }
              });
    }
    return values;
  }

  /** The values of {@link #storedValues} that do not open with {@code key}. */
  TreeSet<String> notOpeningWith(SymmetricKey key) {
    Barrier barrier = Barrier.unsealed(Keyring.of(key));
    TreeSet<String> failing = new TreeSet<>();
    storedValues()
        .forEach(
            (where, text) -> {
              String field = where.substring(0, where.indexOf('/'));
              String rowId = where.substring(where.indexOf('/') + 1);
              EncryptedField f =
                  EncryptedFieldCatalogue.find(
                          field.substring(0, field.indexOf('.')),
                          field.substring(field.indexOf('.') + 1))
                      .orElseThrow();
              try {
                barrier.open(f, rowId, text);
              } catch (Exception e) {
                failing.add(where);
              }
            });
    return failing;
  }

  /** The cleared_values rows: "table.column/row id" → label | link. */
  Map<String, String> clearedValues() {
    Map<String, String> rows = new LinkedHashMap<>();
    try (Database db = open()) {
      db.jdbi()
          .useHandle(
              h ->
                  h.createQuery(
                          "SELECT table_name, column_name, row_id, owner_label, link"
                              + " FROM cleared_values ORDER BY table_name, column_name, row_id")
                      .map(
                          (rs, ctx) ->
                              Map.entry(
                                  rs.getString(1) + "." + rs.getString(2) + "/" + rs.getString(3),
                                  rs.getString(4) + " | " + rs.getString(5)))
                      .forEach(e -> rows.put(e.getKey(), e.getValue())));
    }
    return rows;
  }

  /**
   * Fills the database with sealed values of several kinds straight through SQL and the old key,
   * enough for many small batches: a project with sensitive variables, and token accounts.
   */
  void seedDirectly(int accounts, int variables) {
    Barrier barrier = Barrier.unsealed(Keyring.of(oldKey()));
    Instant now = Instant.now();
    try (Database db = open()) {
      db.jdbi()
          .useTransaction(
              h -> {
                String project = "Projects-" + UUID.randomUUID();
                h.createUpdate(
                        "INSERT INTO projects (id, name, lifecycle_id, library_set_ids,"
                            + " created_at, updated_at) VALUES (:id, 'Shop', 'Lifecycles-default',"
                            + " '[]', :now, :now)")
                    .bind("id", project)
                    .bind("now", now)
                    .execute();
                for (int i = 0; i < variables; i++) {
                  String id = "Variables-" + UUID.randomUUID();
                  h.createUpdate(
                          "INSERT INTO variables (id, owner_id, name, is_sensitive, plain_value,"
                              + " sensitive_value, scope_environments, scope_roles,"
                              + " scope_machines, position, created_at, updated_at) VALUES (:id,"
                              + " :owner, :name, TRUE, NULL, :sealed, '[]', '[\"web\"]', '[]',"
                              + " :position, :now, :now)")
                      .bind("id", id)
                      .bind("owner", project)
                      .bind("name", "Secret" + i)
                      .bind(
                          "sealed",
                          barrier.seal(EncryptedFieldCatalogue.SENSITIVE_VARIABLE, id, "v" + i))
                      .bind("position", i)
                      .bind("now", now)
                      .execute();
                }
                for (int i = 0; i < accounts; i++) {
                  String id = "Accounts-" + UUID.randomUUID();
                  h.createUpdate(
                          "INSERT INTO accounts (id, name, kind, token, created_at, updated_at)"
                              + " VALUES (:id, :name, 'Token', :sealed, :now, :now)")
                      .bind("id", id)
                      .bind("name", "token account " + i)
                      .bind(
                          "sealed",
                          barrier.seal(EncryptedFieldCatalogue.ACCOUNT_TOKEN, id, "t" + i))
                      .bind("now", now)
                      .execute();
                }
              });
    }
  }

  // ---- a database filled through the API of a real server, as a user would

  static final String MARK = UUID.randomUUID().toString().substring(0, 8);

  /** A database made by a real server, holding every kind of secret the server keeps. */
  static RecoveryFixture populated(Path temp, String url) throws Exception {
    Path serverTemp = temp.resolve("old-server");
    try (TestServer server = TestServer.start(serverTemp, url)) {
      fill(server, temp);
    }
    // The test server's instance ("Test", its own machine folder) stands for the old machine.
    return new RecoveryFixture(temp, url, serverTemp.resolve("machine"), "Test");
  }

  private static void fill(TestServer server, Path temp) throws Exception {
    String environment = created(server.post("/api/environments", Map.of("name", "Production")));
    String library = created(server.post("/api/libraryvariablesets", Map.of("name", "Shared")));
    ok(
        server.put(
            "/api/libraryvariablesets/" + library + "/variables",
            Map.of("variables", List.of(sensitive("LibraryPassword", null)))));
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
                    sensitive("DbPassword", Map.of("environments", List.of(environment))),
                    Map.of("name", "Plain", "value", "plain value")))));
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("name", "Install");
    step.put("targetRoles", List.of("app"));
    step.put("script", "echo #{DbPassword} #{LibraryPassword} #{Parameters.ApiKey}");
    step.put("sensitiveParameters", Map.of("ApiKey", "step-secret-" + MARK));
    ok(server.put("/api/projects/" + project + "/process", Map.of("steps", List.of(step))));
    created(server.post("/api/releases", Map.of("projectId", project, "version", "1.0.0")));
    created(
        server.post(
            "/api/accounts",
            Map.of(
                "name",
                "deploy password",
                "kind",
                "UsernamePassword",
                "username",
                "deploy",
                "password",
                "account-password-" + MARK)));
    created(
        server.post(
            "/api/accounts",
            Map.of("name", "api token", "kind", "Token", "token", "token-" + MARK)));
    created(
        server.post(
            "/api/accounts",
            Map.of(
                "name",
                "ssh key",
                "kind",
                "SshKeyPair",
                "username",
                "deploy",
                "privateKey",
                sshKey("passphrase-" + MARK),
                "passphrase",
                "passphrase-" + MARK)));
    created(
        server.post(
            "/api/certificates",
            Map.of(
                "name",
                "shop-tls",
                "certificateData",
                TestCertificates.pfxBase64(TestCertificates.selfSigned("shop.example"), "pfx-pw"),
                "password",
                "pfx-pw")));
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
                Map.of("folder", drop.toString(), "password", "drop-password-" + MARK))));
  }

  /** An OpenSSH private key protected by {@code passphrase}. */
  private static String sshKey(String passphrase) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    OpenSSHKeyEncryptionContext encryption = new OpenSSHKeyEncryptionContext();
    encryption.setPassword(passphrase);
    encryption.setCipherName("AES");
    encryption.setCipherType("256");
    encryption.setCipherMode("CTR");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(
        generator.generateKeyPair(), "deploy", encryption, out);
    return out.toString(StandardCharsets.US_ASCII);
  }

  private static Map<String, Object> sensitive(String name, Map<String, Object> scope) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", name);
    v.put("value", name + "-secret-" + MARK);
    v.put("isSensitive", true);
    if (scope != null) {
      v.put("scope", scope);
    }
    return v;
  }

  private static String created(TestServer.Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    JsonNode id = response.body().get("id");
    return id.asText();
  }

  private static void ok(TestServer.Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(200);
  }
}
