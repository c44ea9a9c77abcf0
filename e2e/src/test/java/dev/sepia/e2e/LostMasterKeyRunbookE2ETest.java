package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import dev.sepia.e2e.tentacle.Cleanup;
import dev.sepia.e2e.tentacle.SepiaApi;
import dev.sepia.e2e.tentacle.SepiaApi.HealthCheck;
import dev.sepia.e2e.tentacle.SepiaTentacleCli;
import dev.sepia.e2e.tentacle.ServiceProcesses;
import dev.sepia.e2e.tentacle.TentacleResult;
import dev.sepia.e2e.tentacle.TestTentacle;
import dev.sepia.e2e.tentacle.Together;
import dev.sepia.e2e.tentacle.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The "lost master key" runbook (docs/lost-master-key.md) played end to end with real processes,
 * once on H2 and once on PostgreSQL: a populated server on machine A with a listening and a polling
 * Tentacle; machine A is lost with its key; a new server on machine B is installed on a blank
 * database, pointed at the old one, recovered with {@code lost-master-key}; the Tentacles are told
 * to trust the new certificate; every cleared value is entered again; a new release deploys with
 * the new values, and the old release cannot be deployed. The refusals of {@code lost-master-key}
 * are checked on the same real database.
 */
// Each run holds a server, two Tentacles and their ports for minutes; the two runs take turns, and
// the steps of a run go one at a time, in order. Other classes run beside them.
@ResourceLock("LostMasterKeyRunbookE2ETest")
class LostMasterKeyRunbookE2ETest {

  @Nested
  class OnH2 extends Runbook {
    OnH2() {
      super(Engine.H2);
    }
  }

  @Nested
  class OnPostgreSql extends Runbook {
    OnPostgreSql() {
      super(Engine.POSTGRESQL);
    }
  }

  @org.junit.jupiter.api.TestInstance(Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  abstract static class Runbook {
    /** Deployments and health checks on a busy two-core machine; only a failure waits this long. */
    private static final Duration DEPLOYMENT = Duration.ofMinutes(3);

    private static final Pattern API_KEY = Pattern.compile("API-[A-Z0-9]+");
    private static final Pattern NEW_THUMBPRINT =
        Pattern.compile("New server certificate thumbprint: ([0-9A-F]{64})");
    private static final Pattern REPORT = Pattern.compile("Report: (\\S+\\.md)\\s+(\\S+\\.json)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MASK = "********";
    private static final String FLAGS_HINT =
        "--iReallyWantToResetAllMySensitiveData --iHaveBackedUpMyDatabase";

    private static final String OLD_DB_PASSWORD = secret("old-db");
    private static final String OLD_LIBRARY_SECRET = secret("old-lib");
    private static final String OLD_TOKEN = secret("old-token");
    private static final String OLD_ACCOUNT_PASSWORD = secret("old-account");
    private static final String OLD_DROP_PASSWORD = secret("old-drop");
    private static final String NEW_DB_PASSWORD = secret("new-db");
    private static final String NEW_LIBRARY_SECRET = secret("new-lib");
    private static final String NEW_TOKEN = secret("new-token");
    private static final String NEW_ACCOUNT_PASSWORD = secret("new-account");
    private static final String NEW_DROP_PASSWORD = secret("new-drop");
    private static final String PFX_PASSWORD = secret("pfx");
    private static final String GREETING = "Hello from the shop";

    /** Every cleared value's kind, as the server names it, and how many of each. */
    private static final Map<String, Integer> CLEARED_KINDS =
        Map.of(
            "Sensitive variable", 2,
            "Sensitive step parameter", 1,
            "Account", 1,
            "Certificate", 1,
            "Offline package drop target", 1);

    /**
     * Writes what the target sees to a file per target and release (the Tentacles run on this
     * machine, so the test reads it), and prints the same to the task log, where secrets are
     * masked.
     */
    private static final String WRITE_VALUES =
        """
        set -eu
        out='#{Parameters.OutDir}/#{Sepia.Machine.Name}-#{Sepia.Release.Number}.properties'
        cat > "$out" <<'VALUES'
        greeting=#{Greeting}
        password=#{DbPassword}
        library=#{LibrarySecret}
        token=#{Parameters.ApiToken}
        VALUES
        echo "greeting=#{Greeting}"
        echo "password=#{DbPassword}"
        echo "library=#{LibrarySecret}"
        echo "token=#{Parameters.ApiToken}"
        """;

    private final Engine engine;
    private final String name;

    Path tmp;

    // Machine A, then machine B: the same instance name, address and ports, other machine keys.
    TestInstance machineA;
    TestInstance machineB;
    TestDatabase oldDatabase;
    TestDatabase blankDatabase;
    int webPort;
    int commsPort;
    String apiKey;
    SepiaApi api;
    TestTentacle listening;
    TestTentacle polling;
    String listeningId;
    String pollingId;
    String productionId;
    String oldThumbprint;
    String newThumbprint;
    Path outDir;
    Path dropDir;
    String projectId;
    String librarySetId;
    String accountId;
    String certificateId;
    String dropId;
    byte[] pfx;
    String oldReleaseId;
    String oldReleaseVersion;
    CliResult recovered;
    Path reportMarkdown;
    Path reportJson;

    Runbook(Engine engine) {
      this.engine = engine;
      this.name = "Hq" + (engine == Engine.H2 ? "H2" : "Pg");
    }

    // ---- machine A: a server with two Tentacles and something of every sensitive kind

    @BeforeAll
    void installMachineA(@TempDir Path folder) throws IOException {
      tmp = folder;
      outDir = Files.createDirectories(tmp.resolve("deployed"));
      dropDir = Files.createDirectories(tmp.resolve("drops"));
      oldDatabase = engine.newDatabase(tmp);
      SepiaServerCli cli = new SepiaServerCli(tmp.resolve("machine-a"), tmp);
      machineA =
          TestInstance.withNewDatabase(
              cli, Files.createDirectories(tmp.resolve("a")), name, oldDatabase);
      webPort = TestInstance.freePort();
      commsPort = TestInstance.freePort();
      while (commsPort == webPort) {
        commsPort = TestInstance.freePort();
      }
      listenAsTheServer(machineA, "node-a");
      CliResult admin =
          machineA
              .run("admin", "--username", "operator", "--password", "operator-pa55", "--apiKey")
              .succeeded();
      apiKey = apiKeyIn(admin);
      Runtime.getRuntime().addShutdownHook(new Thread(this::stopServers));
      machineA.run("service", "--install", "--start").succeeded();
      api = new SepiaApi(URI.create(url("")), apiKey);
      oldThumbprint = api.serverThumbprint();
      // Phases in this order: Production first, so it can be deployed to at once.
      productionId = api.createEnvironment("Production");
      api.createEnvironment("Test");
      Together.run(this::installTheListeningTentacle, this::installThePollingTentacle);
      listeningId = api.machineNamed("web01").path("id").asText();
      pollingId = api.machineNamed("web02").path("id").asText();
      HealthCheck check = api.checkHealth(listeningId, pollingId);
      for (String id : List.of(listeningId, pollingId)) {
        assertThat(check.status(id)).as(check.toString()).isEqualTo("Healthy");
      }
    }

    private void listenAsTheServer(TestInstance instance, String node) {
      instance
          .run(
              "configure",
              "--webListenPrefixes",
              url(""),
              "--commsListenPort",
              Integer.toString(commsPort),
              "--serverNodeName",
              node)
          .succeeded();
    }

    private void installTheListeningTentacle() {
      listening =
          TestTentacle.create(
              new SepiaTentacleCli(tmp.resolve("web01-machine"), tmp), tmp, name + "Web01");
      listening.newCertificate();
      int port = TestInstance.freePort();
      listening
          .run(
              "configure",
              "--port",
              Integer.toString(port),
              "--listenIpAddress",
              "127.0.0.1",
              "--trust=" + oldThumbprint)
          .succeeded();
      register(
          listening,
          "web01",
          "--comms-style",
          "TentaclePassive",
          "--publicHostName",
          "127.0.0.1",
          "--tentacle-comms-port",
          Integer.toString(port));
      listening.run("service", "--install", "--start").succeeded();
    }

    private void installThePollingTentacle() {
      polling =
          TestTentacle.create(
              new SepiaTentacleCli(tmp.resolve("web02-machine"), tmp), tmp, name + "Web02");
      polling.newCertificate();
      polling.run("configure", "--noListen", "true", "--trust=" + oldThumbprint).succeeded();
      register(
          polling,
          "web02",
          "--comms-style",
          "TentacleActive",
          "--server-comms-port",
          Integer.toString(commsPort));
      polling.run("service", "--install", "--start").succeeded();
    }

    private void register(TestTentacle tentacle, String target, String... how) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--server",
                  url(""),
                  "--apiKey",
                  apiKey,
                  "--name",
                  target,
                  "--environment",
                  "Production",
                  "--role",
                  "web"));
      args.addAll(List.of(how));
      tentacle.run("register-with", args.toArray(String[]::new)).succeeded();
    }

    @AfterAll
    void stopEverything() {
      Cleanup.closeAll(
          listening == null ? null : listening::killServiceIfRunning,
          polling == null ? null : polling::killServiceIfRunning,
          this::stopServers);
    }

    /** Stops the services this run started, found by their pid files; launches nothing. */
    private void stopServers() {
      for (TestInstance instance : new TestInstance[] {machineA, machineB}) {
        if (instance != null) {
          ServiceProcesses.stop(instance.home().resolve("service"), "sepia-server-" + name);
        }
      }
    }

    @Test
    @Order(1)
    void onMachineA_aServerWithEverySensitiveKind_deploysARelease_toBothTentacles()
        throws IOException {
      librarySetId =
          api.post("/api/libraryvariablesets", Map.of("name", "Common")).path("id").asText();
      api.put(
          "/api/libraryvariablesets/" + librarySetId + "/variables",
          Map.of(
              "variables",
              List.of(
                  variable(null, "LibrarySecret", OLD_LIBRARY_SECRET, true),
                  variable(null, "Region", "eu-west", false))));
      projectId =
          api.post(
                  "/api/projects",
                  Map.of("name", "Shop", "libraryVariableSetIds", List.of(librarySetId)))
              .path("id")
              .asText();
      api.put(
          "/api/projects/" + projectId + "/variables",
          Map.of(
              "variables",
              List.of(
                  variable(null, "Greeting", GREETING, false),
                  variable(null, "DbPassword", OLD_DB_PASSWORD, true))));
      api.put(
          "/api/projects/" + projectId + "/process",
          Map.of("steps", List.of(step(null, OLD_TOKEN))));
      accountId = api.post("/api/accounts", account(OLD_ACCOUNT_PASSWORD)).path("id").asText();
      CertificateWithKey shopCertificate = Certificates.generateSelfSigned("shop.example.com");
      pfx = Certificates.toPkcs12(shopCertificate, PFX_PASSWORD.toCharArray(), "shop");
      certificateId = api.post("/api/certificates", certificate()).path("id").asText();
      dropId = api.post("/api/machines", dropTarget(OLD_DROP_PASSWORD)).path("id").asText();
      JsonNode release = api.post("/api/releases", Map.of("projectId", projectId));
      oldReleaseId = release.path("id").asText();
      oldReleaseVersion = release.path("version").asText();

      JsonNode task = awaitFinished(deploy(oldReleaseId));

      assertThat(task.path("state").asText())
          .as(api.text("/api/tasks/" + task.path("id").asText() + "/raw"))
          .isEqualTo("Success");
      for (String target : List.of("web01", "web02")) {
        Properties seen = valuesWrittenBy(target, oldReleaseVersion);
        assertThat(seen.getProperty("greeting")).isEqualTo(GREETING);
        assertThat(seen.getProperty("password")).isEqualTo(OLD_DB_PASSWORD);
        assertThat(seen.getProperty("library")).isEqualTo(OLD_LIBRARY_SECRET);
        assertThat(seen.getProperty("token")).isEqualTo(OLD_TOKEN);
        // The old release's files are removed, so the last test sees that it wrote nothing.
        Files.delete(outDir.resolve(target + "-" + oldReleaseVersion + ".properties"));
      }
      assertThat(sealedValues(oldDatabase)).doesNotContainNull();
    }

    @Test
    @Order(2)
    void lostMasterKey_whileTheServerRuns_isRefused_namingTheNode_andChangesNothing() {
      String configBefore = machineA.configFileContent();
      List<List<List<String>>> before = sensitiveState(oldDatabase);

      CliResult refused =
          machineA
              .run(
                  "lost-master-key",
                  "--iReallyWantToResetAllMySensitiveData",
                  "--iHaveBackedUpMyDatabase")
              .exited(CliResult.FAILED);
      assertThat(refused.error())
          .contains("A Sepia server is running on this database")
          .contains("node-a")
          .contains("sepia-server service --stop")
          .contains("Nothing was changed");
      assertThat(machineA.configFileContent()).isEqualTo(configBefore);
      assertThat(sensitiveState(oldDatabase)).isEqualTo(before);
      assertThat(api.serverThumbprint()).isEqualTo(oldThumbprint);
    }

    @Test
    @Order(3)
    void lostMasterKey_onADatabaseTheInstancesKeyOpens_isRefused_nothingIsLost() {
      machineA.run("service", "--stop").succeeded();
      String configBefore = machineA.configFileContent();
      List<List<List<String>>> before = sensitiveState(oldDatabase);

      CliResult refused =
          machineA
              .run(
                  "lost-master-key",
                  "--iReallyWantToResetAllMySensitiveData",
                  "--iHaveBackedUpMyDatabase")
              .exited(CliResult.FAILED);
      assertThat(refused.error()).contains("nothing is lost").contains("nothing was changed");
      assertThat(machineA.configFileContent()).isEqualTo(configBefore);
      assertThat(sensitiveState(oldDatabase)).isEqualTo(before);
    }

    @Test
    @Order(4)
    void disaster_theDatabaseIsBackedUp_andMachineAIsLostWithItsKey() throws Exception {
      // Step 1 of the runbook, with the server stopped.
      TestDatabase backup = backUp(oldDatabase);
      assertThat(sealedValues(backup)).isEqualTo(sealedValues(oldDatabase)).doesNotContainNull();

      // The machine dies: its machine key and the instance's config are gone for good.
      deleteRecursively(machineA.cli().machineDir());
      Files.delete(machineA.configFile());

      assertThat(machineA.cli().machineDir()).doesNotExist();
      assertThat(oldDatabase.hasSepiaSchema()).isTrue();
    }

    // ---- machine B: the runbook

    @Test
    @Order(5)
    void onMachineB_aNewInstanceOnABlankDatabase_isAHealthyEmptyServer() throws IOException {
      blankDatabase = engine.newDatabase(tmp);
      SepiaServerCli cli = new SepiaServerCli(tmp.resolve("machine-b"), tmp);
      machineB = TestInstance.create(cli, Files.createDirectories(tmp.resolve("b")), name);
      // The new machine takes over the old one's address, as Tentacles know the server by it.
      listenAsTheServer(machineB, "node-b");
      machineB.run("database", "--connectionString", blankDatabase.url(), "--create").succeeded();
      String blankKey =
          apiKeyIn(
              machineB
                  .run("admin", "--username", "admin", "--password", "new-admin-pa55", "--apiKey")
                  .succeeded());
      machineB.run("service", "--install", "--start").succeeded();

      HttpResponse<String> health = anonymousGet("/api/health");
      HttpResponse<String> login = anonymousGet("/login");

      assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
      assertThat(health.body()).contains("Healthy");
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      assertThat(login.body()).containsIgnoringCase("<form");
      SepiaApi blank = new SepiaApi(URI.create(url("")), blankKey);
      assertThat(blank.get("/api/projects").path("totalResults").asInt()).isZero();
      assertThat(blank.get("/api/machines").path("totalResults").asInt()).isZero();
      assertThat(blank.serverThumbprint()).isNotEqualTo(oldThumbprint);
    }

    @Test
    @Order(6)
    void database_pointedAtTheOldDatabase_isSaved_withAWarningThatNamesTheWayOut() {
      machineB.run("service", "--stop").succeeded();

      CliResult pointed =
          machineB.run("database", "--connectionString", oldDatabase.url()).succeeded();
      assertThat(pointed.stdout())
          .contains("WARNING")
          .contains("does not open this database")
          .contains("sepia-server lost-master-key --instance " + name);
    }

    @Test
    @Order(7)
    void lostMasterKey_withoutConfirmation_andWithoutATerminal_refuses_andChangesNothing() {
      String configBefore = machineB.configFileContent();
      List<List<List<String>>> before = sensitiveState(oldDatabase);

      CliResult unconfirmed = machineB.run("lost-master-key").exited(CliResult.FAILED);
      CliResult halfConfirmed =
          machineB.run("lost-master-key", "--iHaveBackedUpMyDatabase").exited(CliResult.BAD_USAGE);
      assertThat(unconfirmed.error()).contains("No terminal to prompt on").contains(FLAGS_HINT);
      assertThat(unconfirmed.error()).contains("Nothing was changed");
      assertThat(halfConfirmed.error()).contains(FLAGS_HINT);
      assertThat(machineB.configFileContent()).isEqualTo(configBefore);
      assertThat(sensitiveState(oldDatabase)).isEqualTo(before);
      assertThat(sealedValues(oldDatabase)).doesNotContainNull();
    }

    @Test
    @Order(8)
    void lostMasterKey_confirmedByFlags_recovers_andTheServerStartsWithANewCertificate() {
      recovered =
          machineB
              .run(
                  "lost-master-key",
                  "--iReallyWantToResetAllMySensitiveData",
                  "--iHaveBackedUpMyDatabase")
              .succeeded();
      Matcher thumbprint = NEW_THUMBPRINT.matcher(recovered.stdout());
      assertThat(thumbprint.find()).as(recovered.toString()).isTrue();
      newThumbprint = thumbprint.group(1);
      Matcher report = REPORT.matcher(recovered.stdout());
      assertThat(report.find()).as(recovered.toString()).isTrue();
      reportMarkdown = Path.of(report.group(1));
      reportJson = Path.of(report.group(2));

      machineB.run("service", "--start").succeeded();

      assertThat(newThumbprint).isNotEqualTo(oldThumbprint);
      assertThat(recovered.stdout())
          .contains("configure --reset-trust --trust=\"" + newThumbprint + "\"");
      assertThat(sealedValues(oldDatabase)).containsOnlyNulls();
      // The old administrator's API key is in the recovered database: users are not lost.
      assertThat(api.serverThumbprint()).isEqualTo(newThumbprint);
      assertThat(machineB.thumbprint()).isEqualTo(newThumbprint);
      assertThat(api.get("/api/projects/" + projectId).path("name").asText()).isEqualTo("Shop");
    }

    @Test
    @Order(9)
    void theReport_inMarkdownAndJson_listsEveryClearedValue_andTheNewThumbprint()
        throws IOException {
      String markdown = Files.readString(reportMarkdown);
      JsonNode json = JSON.readTree(reportJson.toFile());
      List<String> owners = owners(api.get("/api/recovery/cleared-values?take=1000"));

      assertThat(reportMarkdown.getParent()).isEqualTo(machineB.home().resolve("Reports"));
      assertThat(markdown).contains(newThumbprint);
      assertThat(json.path("serverCertificate").path("thumbprint").asText())
          .isEqualTo(newThumbprint);
      assertThat(json.path("serverCertificate").path("replaced").asBoolean()).isTrue();
      List<String> reported = new ArrayList<>();
      Set<String> kinds = new HashSet<>();
      for (JsonNode value : json.path("clearedValues")) {
        reported.add(value.path("label").asText());
        kinds.add(value.path("kind").asText());
      }
      assertThat(owners).hasSize(6);
      assertThat(reported).containsAll(owners);
      for (String owner : owners) {
        assertThat(markdown).contains(owner);
      }
      // The release's frozen values are reported too, though they cannot be entered again.
      assertThat(kinds).containsAll(CLEARED_KINDS.keySet()).contains("Release snapshot");
      assertThat(json.path("clearedCount").asInt()).isEqualTo(reported.size());
      JsonNode run = api.get("/api/recovery/runs").path("items").get(0);
      assertThat(run.path("newThumbprint").asText()).isEqualTo(newThumbprint);
      assertThat(Path.of(run.path("reportPath").asText())).isEqualTo(reportMarkdown);
      assertThat(api.get("/api/events?category=LostMasterKeyRecovery").path("items"))
          .singleElement()
          .satisfies(e -> assertThat(e.path("message").asText()).doesNotContain(oldSecrets()));
      for (String text : List.of(markdown, json.toString(), recovered.stdout())) {
        assertThat(text).doesNotContain(oldSecrets());
      }
    }

    @Test
    @Order(10)
    void beforeTheyTrustTheNewCertificate_theListeningTentacleRefusesIt_thePollingOneIsCutOff() {
      HealthCheck check = api.checkHealth(listeningId, pollingId);

      assertThat(check.status(listeningId)).as(check.toString()).isEqualTo("Unavailable");
      assertThat(check.connectivity(listeningId)).isEqualTo("RefusesServerCertificate");
      assertThat(check.reason(listeningId))
          .contains("configure --reset-trust --trust=" + newThumbprint);
      assertThat(check.status(pollingId)).as(check.toString()).isEqualTo("Unavailable");
      assertThat(check.connectivity(pollingId)).isNotEqualTo("Connected");
      assertThat(check.reason(pollingId))
          .contains("configure --reset-trust --trust=" + newThumbprint);
    }

    @Test
    @Order(11)
    void afterTheRunbookOnEachTentacle_bothAreHealthy() {
      Together.run(() -> trustTheNewServer(listening), () -> trustTheNewServer(polling));

      HealthCheck check = api.checkHealth(listeningId, pollingId);

      for (String id : List.of(listeningId, pollingId)) {
        assertThat(check.status(id)).as(check.toString()).isEqualTo("Healthy");
        assertThat(check.connectivity(id)).as(check.toString()).isEqualTo("Connected");
      }
    }

    /** Step 4 of the runbook, exactly as written there. */
    private void trustTheNewServer(TestTentacle tentacle) {
      tentacle.run("service", "--stop").succeeded();
      TentacleResult reset =
          tentacle.run("configure", "--reset-trust", "--trust=" + newThumbprint).succeeded();
      assertThat(reset.stdout())
          .contains("Removed all trusted servers: " + oldThumbprint)
          .contains("Trusting server " + newThumbprint);
      tentacle.run("service", "--start").succeeded();
    }

    @Test
    @Order(12)
    void everyClearedValue_isListed_andLeavesTheListWhenEnteredAgain() {
      JsonNode cleared = api.get("/api/recovery/cleared-values?take=1000");
      assertThat(cleared.path("totalResults").asInt()).as(cleared.toString()).isEqualTo(6);
      Map<String, Integer> counts = new LinkedHashMap<>();
      cleared
          .path("countsByKind")
          .properties()
          .forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
      assertThat(counts).isEqualTo(CLEARED_KINDS);
      assertThat(owners(cleared))
          .anySatisfy(o -> assertThat(o).contains("DbPassword").contains("Shop"))
          .anySatisfy(o -> assertThat(o).contains("LibrarySecret").contains("Common"))
          .anySatisfy(o -> assertThat(o).contains("ApiToken"))
          .anySatisfy(o -> assertThat(o).contains("Deployer"))
          .anySatisfy(o -> assertThat(o).contains("Shop TLS"))
          .anySatisfy(o -> assertThat(o).contains("drop01"));

      // No release can be made while the project's values are still empty.
      SepiaApi.Response early = api.call("POST", "/api/releases", Map.of("projectId", projectId));
      assertThat(early.status()).as(early.body()).isEqualTo(409);
      assertThat(early.json().path("error").asText())
          .contains("was cleared by a recovery from a lost master key");

      // Saved without a new value, the project's sensitive variable stays empty, and listed.
      putVariables("projects/" + projectId, null);
      // docs/lost-master-key.md (step 5) says that saving an account without a new value keeps
      // it empty and listed. The API refuses that save instead ("password: required for a
      // UsernamePassword account", with no word of the recovery): the guide and the server
      // disagree. Either way nothing changes, and the value stays on the list.
      SepiaApi.Response accountSaved = api.call("PUT", "/api/accounts/" + accountId, account(null));
      assertThat(accountSaved.status()).as(accountSaved.body()).isEqualTo(400);
      assertThat(accountSaved.json().path("details").toString()).contains("password: required");
      assertThat(api.get("/api/recovery/cleared-values").path("totalResults").asInt())
          .as("saving without a new value leaves each value to re-enter")
          .isEqualTo(6);

      reEnter(
          5, "Sensitive variable", () -> putVariables("projects/" + projectId, NEW_DB_PASSWORD));
      reEnter(
          4,
          "Sensitive variable",
          () -> putVariables("libraryvariablesets/" + librarySetId, NEW_LIBRARY_SECRET));
      reEnter(3, "Sensitive step parameter", this::putProcessWithTheNewToken);
      reEnter(
          2, "Account", () -> api.put("/api/accounts/" + accountId, account(NEW_ACCOUNT_PASSWORD)));
      reEnter(1, "Certificate", () -> api.put("/api/certificates/" + certificateId, certificate()));
      reEnter(
          0,
          "Offline package drop target",
          () -> api.put("/api/machines/" + dropId, dropTarget(NEW_DROP_PASSWORD)));

      JsonNode left = api.get("/api/recovery/cleared-values");
      assertThat(left.path("items")).isEmpty();
      assertThat(left.path("countsByKind").size()).isZero();
      assertThat(api.get("/api/accounts/" + accountId).toString()).contains("\"isSet\":true");
    }

    /** Sets one kind of value again, and checks the list then holds exactly {@code left}. */
    private void reEnter(int left, String kind, Runnable change) {
      int before =
          api.get("/api/recovery/cleared-values?kind=" + kind.replace(" ", "%20"))
              .path("totalResults")
              .asInt();

      change.run();

      JsonNode after = api.get("/api/recovery/cleared-values?take=1000");
      assertThat(after.path("totalResults").asInt()).as(after.toString()).isEqualTo(left);
      assertThat(after.path("countsByKind").path(kind).asInt()).isEqualTo(before - 1);
    }

    /**
     * Saves the variables as they are, with a new value for the sensitive one (none: keep the
     * stored one).
     */
    private void putVariables(String owner, String newSecret) {
      List<Map<String, Object>> variables = new ArrayList<>();
      for (JsonNode v : api.get("/api/" + owner + "/variables").path("variables")) {
        boolean sensitive = v.path("isSensitive").asBoolean();
        if (sensitive) {
          assertThat(v.path("isSet").asBoolean())
              .as("%s is set before it is entered again", v)
              .isFalse();
        }
        variables.add(
            variable(
                v.path("id").asText(),
                v.path("name").asText(),
                sensitive ? newSecret : v.path("value").asText(),
                sensitive));
      }
      api.put("/api/" + owner + "/variables", Map.of("variables", variables));
    }

    private void putProcessWithTheNewToken() {
      JsonNode steps = api.get("/api/projects/" + projectId + "/process").path("steps");
      assertThat(steps).hasSize(1);
      api.put(
          "/api/projects/" + projectId + "/process",
          Map.of("steps", List.of(step(steps.get(0).path("id").asText(), NEW_TOKEN))));
    }

    @Test
    @Order(13)
    void aNewRelease_deploysToBothTentacles_withTheNewValues_masked_inTheLog() {
      JsonNode release = api.post("/api/releases", Map.of("projectId", projectId));
      String version = release.path("version").asText();
      assertThat(version).isNotEqualTo(oldReleaseVersion);

      JsonNode task = awaitFinished(deploy(release.path("id").asText()));

      String log = api.text("/api/tasks/" + task.path("id").asText() + "/raw");
      assertThat(task.path("state").asText()).as(log).isEqualTo("Success");
      for (String target : List.of("web01", "web02")) {
        Properties seen = valuesWrittenBy(target, version);
        assertThat(seen.getProperty("greeting")).isEqualTo(GREETING);
        assertThat(seen.getProperty("password")).isEqualTo(NEW_DB_PASSWORD);
        assertThat(seen.getProperty("library")).isEqualTo(NEW_LIBRARY_SECRET);
        assertThat(seen.getProperty("token")).isEqualTo(NEW_TOKEN);
        assertThat(log).contains("[" + target + "] greeting=" + GREETING);
        for (String secret : List.of("password", "library", "token")) {
          assertThat(log).contains("[" + target + "] " + secret + "=" + MASK);
        }
      }
      assertThat(log)
          .doesNotContain(NEW_DB_PASSWORD)
          .doesNotContain(NEW_LIBRARY_SECRET)
          .doesNotContain(NEW_TOKEN);
    }

    @Test
    @Order(14)
    void theOldRelease_failsToDeploy_sayingItsValueWasCleared_andToCreateANewRelease() {
      JsonNode task = awaitFinished(deploy(oldReleaseId));

      String log = api.text("/api/tasks/" + task.path("id").asText() + "/raw");
      assertThat(task.path("state").asText()).as(log).isEqualTo("Failed");
      assertThat(task + "\n" + log)
          .contains("was cleared by a recovery from a lost master key")
          .contains("create a new release");
      for (String target : List.of("web01", "web02")) {
        assertThat(outDir.resolve(target + "-" + oldReleaseVersion + ".properties"))
            .as("no step of the old release ran on " + target)
            .doesNotExist();
      }
    }

    @Test
    @Order(15)
    void noApiResponse_noServiceLog_andNoRecoveryOutput_everShowedASecret() throws IOException {
      List<String> shown = new ArrayList<>(api.bodiesReceived());
      shown.add(recovered.stdout() + recovered.stderr());
      for (TestInstance instance : List.of(machineA, machineB)) {
        shown.add(Files.readString(instance.home().resolve("service/logs/service.log")));
      }
      shown.add(listening.serviceLog());
      shown.add(polling.serviceLog());

      assertThat(shown).hasSizeGreaterThan(30);
      for (String text : shown) {
        assertThat(text)
            .doesNotContain(oldSecrets())
            .doesNotContain(NEW_DB_PASSWORD, NEW_LIBRARY_SECRET, NEW_TOKEN)
            .doesNotContain(NEW_ACCOUNT_PASSWORD, NEW_DROP_PASSWORD, PFX_PASSWORD);
      }
    }

    // ---- helpers

    private String url(String path) {
      return "http://127.0.0.1:" + webPort + path;
    }

    private static String secret(String what) {
      return what + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String[] oldSecrets() {
      return new String[] {
        OLD_DB_PASSWORD, OLD_LIBRARY_SECRET, OLD_TOKEN, OLD_ACCOUNT_PASSWORD, OLD_DROP_PASSWORD
      };
    }

    private static String apiKeyIn(CliResult admin) {
      Matcher key = API_KEY.matcher(admin.stdout());
      assertThat(key.find()).as("an API key in %s", admin).isTrue();
      return key.group();
    }

    private static Map<String, Object> variable(
        String id, String name, String value, boolean sensitive) {
      Map<String, Object> v = new LinkedHashMap<>();
      if (id != null) {
        v.put("id", id);
      }
      v.put("name", name);
      v.put("value", value);
      v.put("isSensitive", sensitive);
      return v;
    }

    private Map<String, Object> step(String id, String token) {
      Map<String, Object> s = new LinkedHashMap<>();
      if (id != null) {
        s.put("id", id);
      }
      s.put("name", "Write what the target sees");
      s.put("kind", "RunScript");
      s.put("targetRoles", List.of("web"));
      s.put("script", WRITE_VALUES);
      s.put("parameters", Map.of("OutDir", outDir.toString()));
      s.put("sensitiveParameters", Map.of("ApiToken", token));
      s.put("maxParallel", 10);
      return s;
    }

    /** An account's body; without a password, the stored one is kept. */
    private static Map<String, Object> account(String password) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", "Deployer");
      body.put("kind", "UsernamePassword");
      body.put("username", "deploy");
      body.put("password", password);
      return body;
    }

    private Map<String, Object> certificate() {
      return Map.of(
          "name",
          "Shop TLS",
          "certificateData",
          Base64.getEncoder().encodeToString(pfx),
          "password",
          PFX_PASSWORD);
    }

    private Map<String, Object> dropTarget(String password) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", "drop01");
      body.put("communicationStyle", "OfflineDrop");
      // In Test, with a role of its own: the project's deployments never reach it.
      body.put("environments", List.of("Test"));
      body.put("roles", List.of("offline"));
      body.put("offlineDrop", Map.of("folder", dropDir.toString(), "password", password));
      return body;
    }

    private static List<String> owners(JsonNode cleared) {
      List<String> owners = new ArrayList<>();
      cleared.path("items").forEach(item -> owners.add(item.path("owner").asText()));
      return owners;
    }

    /** Queues a deployment of the release to Production and returns its task's id. */
    private String deploy(String releaseId) {
      JsonNode deployment =
          api.post(
              "/api/deployments", Map.of("releaseId", releaseId, "environmentId", productionId));
      assertThat(deployment.path("id").asText()).startsWith("Deployments-");
      return deployment.path("taskId").asText();
    }

    private JsonNode awaitFinished(String taskId) {
      JsonNode[] task = new JsonNode[1];
      Waits.until(
          DEPLOYMENT,
          () -> "task " + taskId + " to finish; last seen: " + task[0],
          () -> {
            task[0] = api.get("/api/tasks/" + taskId);
            return task[0].path("isCompleted").asBoolean();
          });
      return task[0];
    }

    private Properties valuesWrittenBy(String target, String version) {
      Path file = outDir.resolve(target + "-" + version + ".properties");
      Properties values = new Properties();
      try (var reader = Files.newBufferedReader(file)) {
        values.load(reader);
      } catch (IOException e) {
        throw new UncheckedIOException("Reading what " + target + " wrote", e);
      }
      return values;
    }

    private HttpResponse<String> anonymousGet(String path) {
      try (HttpClient http = HttpClient.newHttpClient()) {
        return http.send(
            HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /**
     * One sealed value of each kind the test stored (null once cleared): project and library
     * sensitive variables, the step's sensitive parameter, the account password, the certificate's
     * private key, the drop password, the release's frozen values.
     */
    private static List<String> sealedValues(TestDatabase database) {
      List<String> values = new ArrayList<>();
      for (String sql :
          List.of(
              "SELECT sensitive_value FROM variables WHERE is_sensitive ORDER BY id",
              "SELECT sealed_value FROM step_sensitive_parameters ORDER BY id",
              "SELECT password FROM accounts ORDER BY id",
              "SELECT private_key FROM certificates ORDER BY id",
              "SELECT drop_password FROM machines WHERE name = 'drop01'",
              "SELECT sealed_value FROM release_sensitive_values ORDER BY id")) {
        List<List<String>> rows = database.rows(sql);
        assertThat(rows).as(sql).isNotEmpty();
        rows.forEach(row -> values.add(row.get(0)));
      }
      return values;
    }

    /** Everything a refused recovery must leave as it was. */
    private static List<List<List<String>>> sensitiveState(TestDatabase database) {
      return Stream.of(
              "variables",
              "step_sensitive_parameters",
              "accounts",
              "certificates",
              "release_sensitive_values",
              "server_certificate",
              "sepia_metadata",
              "recoveries",
              "cleared_values")
          .map(database::snapshot)
          .toList();
    }

    /** Step 1 of the runbook: a copy of the stopped database. */
    private TestDatabase backUp(TestDatabase database) throws IOException, SQLException {
      if (database.engine() == Engine.H2) {
        Path copy = Files.createDirectories(tmp.resolve("backup")).resolve("sepia");
        Files.copy(database.h2File(), Path.of(copy + ".mv.db"));
        return new TestDatabase(Engine.H2, "jdbc:h2:file:" + copy);
      }
      String url = database.url();
      String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
      String backup = name + "_backup";
      try (Connection admin =
              DriverManager.getConnection(url.replace("/" + name + "?", "/postgres?"));
          Statement statement = admin.createStatement()) {
        statement.execute("CREATE DATABASE " + backup + " TEMPLATE " + name);
      }
      return new TestDatabase(Engine.POSTGRESQL, url.replace("/" + name + "?", "/" + backup + "?"));
    }

    private static void deleteRecursively(Path folder) throws IOException {
      try (Stream<Path> all = Files.walk(folder)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
