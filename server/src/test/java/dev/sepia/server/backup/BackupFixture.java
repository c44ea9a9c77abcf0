package dev.sepia.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.crypto.InsecureKeyAccess;
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
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * A server instance filled through its API with every kind of sensitive value the server keeps (one
 * per catalogued column) and a finished task with its log, as the source of backups; and the
 * helpers to run the CLI on it and on a second machine.
 */
final class BackupFixture {
  static final String SOURCE_INSTANCE = "Test";
  static final String TARGET_INSTANCE = "Restored";
  private static final AtomicInteger PG_NAMES = new AtomicInteger();

  final Path temp;
  final Path sourceTemp;
  final String url;
  final Map<String, String> sourceEnv;
  final Map<String, String> targetEnv;

  private BackupFixture(Path sourceTemp, Path temp, String url) {
    this.sourceTemp = sourceTemp;
    this.temp = temp;
    this.url = url;
    this.sourceEnv = Map.of("SEPIA_MACHINE_DIR", sourceHome().resolve("machine").toString());
    this.targetEnv = Map.of("SEPIA_MACHINE_DIR", temp.resolve("target-machine").toString());
  }

  /** The same source, with a target machine of its own under {@code temp}. */
  BackupFixture withTargetIn(Path temp) {
    return new BackupFixture(sourceTemp, temp, url);
  }

  Path sourceHome() {
    return sourceTemp.resolve("source");
  }

  Path targetConfig() {
    return temp.resolve("target").resolve("server.config.json");
  }

  Path targetHome() {
    return targetConfig().getParent();
  }

  /**
   * A populated source on {@code kind}. With {@code whileRunning} the task is given the server
   * still running, as a backup of a live server would be.
   */
  static BackupFixture populated(Path temp, DatabaseKind kind, WhileRunning whileRunning)
      throws Exception {
    BackupFixture f = new BackupFixture(temp, temp, TestDatabases.emptyDatabase(kind, temp));
    try (TestServer server = TestServer.start(f.sourceHome(), f.url)) {
      fill(server, temp);
      whileRunning.run(f);
    }
    return f;
  }

  interface WhileRunning {
    void run(BackupFixture f) throws Exception;
  }

  /** A PostgreSQL database name that does not exist yet: restore must create it. */
  static String missingPostgresDatabase() {
    var pg = TestDatabases.postgres();
    return "jdbc:postgresql://localhost:"
        + pg.getPort()
        + "/sepia_restore_"
        + ProcessHandle.current().pid()
        + "_"
        + PG_NAMES.incrementAndGet()
        + "?user=postgres";
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

  static Run must(Map<String, String> env, String... args) {
    Run r = run(env, args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isZero();
    return r;
  }

  /** The instance a restore goes into: created on the second machine, with no database yet. */
  void createTargetInstance() {
    must(
        targetEnv,
        "create-instance",
        "--instance",
        TARGET_INSTANCE,
        "--config",
        targetConfig().toString());
  }

  SymmetricKey sourceKey() {
    return key(sourceEnv, SOURCE_INSTANCE);
  }

  String sourceKeyBase64() {
    return InsecureKeyAccess.toBase64(sourceKey());
  }

  static SymmetricKey key(Map<String, String> env, String instance) {
    ServerEnvironment environment = new ServerEnvironment(env);
    InstanceRecord record = environment.registry().resolve(instance);
    ServerConfig config = environment.openConfig(record);
    return config.masterKey().orElseThrow();
  }

  static ServerConfig config(Map<String, String> env, String instance) {
    ServerEnvironment environment = new ServerEnvironment(env);
    return environment.openConfig(environment.registry().resolve(instance));
  }

  /** Rows per table, for every table a backup carries. */
  static Map<String, Long> rowCounts(String url) throws Exception {
    try (Database db = Database.open(url, false);
        Connection c = db.dataSource().getConnection()) {
      Map<String, Long> counts = new TreeMap<>();
      counts.putAll(BackupRestorer.countRows(c, BackupTables.toBackUp(c)));
      return counts;
    }
  }

  /** Per catalogued field: "opened/failed" with {@code key}. */
  static Map<String, String> openEveryValue(String url, SymmetricKey key) throws Exception {
    Barrier barrier = Barrier.unsealed(Keyring.of(key));
    Map<String, String> result = new LinkedHashMap<>();
    try (Database db = Database.open(url, false);
        Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (EncryptedField f : EncryptedFieldCatalogue.all()) {
        int opened = 0;
        int failed = 0;
        try (ResultSet rs =
            s.executeQuery(
                "SELECT "
                    + f.idColumn()
                    + ", "
                    + f.column()
                    + " FROM "
                    + f.table()
                    + " WHERE "
                    + f.column()
                    + " IS NOT NULL")) {
          while (rs.next()) {
            try {
              barrier.open(f, rs.getString(1), rs.getString(2));
              opened++;
            } catch (Exception e) {
              failed++;
            }
          }
        }
        result.put(f.toString(), opened + "/" + failed);
      }
    }
    return result;
  }

  /** Task logs, reports and artifacts under a home: relative path → content. */
  static Map<String, String> homeFiles(Path home) throws Exception {
    Map<String, String> files = new TreeMap<>();
    for (String folder : BackupWriter.HOME_FOLDERS) {
      Path root = home.resolve(folder);
      if (Files.isDirectory(root)) {
        try (var walk = Files.walk(root)) {
          for (Path p : walk.filter(Files::isRegularFile).toList()) {
            files.put(home.relativize(p).toString(), Files.readString(p));
          }
        }
      }
    }
    return files;
  }

  // ---- filling the source through the API, one value for each catalogued column

  static final String MARK = UUID.randomUUID().toString().substring(0, 8);

  private static void fill(TestServer server, Path temp) throws Exception {
    String environment = created(server.post("/api/environments", Map.of("name", "Production")));
    String library = created(server.post("/api/libraryvariablesets", Map.of("name", "Shared")));
    ok(
        server.put(
            "/api/libraryvariablesets/" + library + "/variables",
            Map.of("variables", List.of(sensitive("LibraryPassword")))));
    String project =
        created(
            server.post(
                "/api/projects",
                Map.of("name", "Shop", "libraryVariableSetIds", List.of(library))));
    Map<String, Object> scoped = sensitive("DbPassword");
    scoped.put("scope", Map.of("environments", List.of(environment)));
    ok(
        server.put(
            "/api/projects/" + project + "/variables",
            Map.of(
                "variables",
                List.of(scoped, Map.of("name", "Plain", "value", "plain value, ünïcode ✓")))));
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("name", "Install");
    step.put("targetRoles", List.of("app"));
    step.put("script", "echo #{DbPassword} #{LibraryPassword}\n".repeat(2000));
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
                TestCertificates.unencryptedKeyPem(TestCertificates.selfSigned("ssh").privateKey()),
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
    String machine =
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
    TestServer.Response task =
        server.post(
            "/api/tasks",
            Map.of("name", "Health", "arguments", Map.of("machineIds", List.of(machine))));
    assertThat(task.status()).as(task.text()).isEqualTo(201);
    server.awaitTask(task.body().get("id").asText());
  }

  private static Map<String, Object> sensitive(String name) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", name);
    v.put("value", name + "-secret-" + MARK);
    v.put("isSensitive", true);
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
