package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.e2e.keys.ServerSite;
import dev.sepia.e2e.keys.ShopProject;
import dev.sepia.e2e.keys.ShopSecrets;
import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import dev.sepia.e2e.tentacle.SepiaApi;
import dev.sepia.e2e.tentacle.SepiaApi.HealthCheck;
import dev.sepia.e2e.tentacle.TestTentacle;
import dev.sepia.e2e.tentacle.Together;
import dev.sepia.e2e.tentacle.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Rotating the master key of a running server, with real processes, on H2 and on PostgreSQL: the
 * server keeps serving and its deployments keep running while {@code rotate-master-key} replaces
 * the key; afterwards the new key opens everything and the old one nothing, the Tentacle trusts the
 * server as before, releases deploy with the right secrets before and after a restart, and a backup
 * taken before the rotation opens only with the old key.
 */
// Each run holds a server, a Tentacle and their ports for minutes; the two runs take turns, and the
// steps of a run go one at a time, in order. Other classes run beside them.
@ResourceLock("MasterKeyRotationE2ETest")
class MasterKeyRotationE2ETest {

  @Nested
  class OnH2 extends Rotation {
    OnH2() {
      super(Engine.H2);
    }
  }

  @Nested
  class OnPostgreSql extends Rotation {
    OnPostgreSql() {
      super(Engine.POSTGRESQL);
    }
  }

  @org.junit.jupiter.api.TestInstance(Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  abstract static class Rotation {
    /** How long the step of each deployment runs before it writes: long enough to be caught. */
    private static final int STEP_PAUSE_SECONDS = 5;

    private static final Duration STARTED = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPORT = Pattern.compile("Report: (\\S+\\.md)\\s+(\\S+\\.json)");
    private static final Pattern KEY_ID = Pattern.compile("\"keyId\"\\s*:\\s*\"([^\"]+)\"");
    private static final List<String> TARGETS = List.of("web01");

    private final Engine engine;
    private final String name;
    private final ShopSecrets secrets = ShopSecrets.random();

    /** Every command's output but show-master-key's (which prints the key, as it should). */
    private final List<CliResult> outputs = new CopyOnWriteArrayList<>();

    Path tmp;
    ServerSite site;
    SepiaApi api;
    ShopProject shop;
    TestInstance server;
    TestDatabase database;
    TestTentacle tentacle;
    String tentacleId;
    byte[] tentacleConfig;
    String thumbprint;
    String oldKey;
    String oldKeyId;
    String newKey;
    String newKeyId;
    Path backupBefore;
    CliResult rotated;

    Rotation(Engine engine) {
      this.engine = engine;
      this.name = "Rot" + (engine == Engine.H2 ? "H2" : "Pg");
    }

    @BeforeAll
    void installAServerWithATentacle_andSecrets(@TempDir Path folder) throws IOException {
      tmp = folder;
      site = new ServerSite(tmp, name, Map.of());
      database = engine.newDatabase(tmp);
      server = site.newMachine("node-a");
      run("database", "--connectionString", database.url(), "--create");
      api = site.adminAndStart(server);
      thumbprint = api.serverThumbprint();
      shop = new ShopProject(api, Files.createDirectories(tmp.resolve("deployed")), secrets);
      shop.createEnvironments();
      tentacle = site.listeningTentacle("web01");
      tentacleId = api.machineNamed("web01").path("id").asText();
      tentacleConfig = tentacle.configBytes();
      shop.populate(STEP_PAUSE_SECONDS);
      oldKey = server.masterKey();
      oldKeyId = keyId();
    }

    @AfterAll
    void stopEverything() {
      if (site != null) {
        site.close();
      }
    }

    @Test
    @Order(1)
    void aBackup_isTakenBeforeTheRotation() throws IOException {
      backupBefore = Files.createDirectories(tmp.resolve("backups")).resolve("before.zip");

      CliResult backup = run("backup", "--file", backupBefore.toString());

      assertThat(backup.stdout()).contains("The master key (id " + oldKeyId + ") is not included");
    }

    @Test
    @Order(2)
    void rotateMasterKey_whileTheServerRuns_andDeploymentsRun_losesNothing() {
      List<ShopProject.Release> releases = new ArrayList<>();
      List<String> tasks = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ShopProject.Release release = shop.newRelease();
        releases.add(release);
        tasks.add(shop.deploy(release));
      }
      awaitExecuting(tasks.get(0));
      List<ShopProject.Release> duringRotation = new CopyOnWriteArrayList<>();
      List<String> duringTasks = new CopyOnWriteArrayList<>();
      Instant rotationBegan = Instant.now();

      Together.run(
          () -> rotated = run("rotate-master-key", "--yes"),
          // Meanwhile the server keeps serving: a release is made and deployed.
          () -> {
            Waits.pause(Duration.ofSeconds(2));
            ShopProject.Release release = shop.newRelease();
            duringRotation.add(release);
            duringTasks.add(shop.deploy(release));
          });
      Instant rotationEnded = Instant.now();
      releases.addAll(duringRotation);
      tasks.addAll(duringTasks);

      assertThat(rotated.stdout())
          .contains("server node(s) are running and keep serving during the rotation: node-a")
          .contains("Rotation complete: master key id " + oldKeyId + " → ")
          .contains("Kept server certificate thumbprint: " + thumbprint);
      List<JsonNode> finished = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        finished.add(shop.awaitFinished(tasks.get(i)));
        shop.succeededWithTheSecrets(finished.get(i), releases.get(i), TARGETS);
      }
      assertThat(finished)
          .as("a deployment ran while rotate-master-key ran")
          .anySatisfy(
              task -> {
                assertThat(Instant.parse(task.path("startedAt").asText())).isBefore(rotationEnded);
                assertThat(Instant.parse(task.path("completedAt").asText())).isAfter(rotationBegan);
              });
    }

    /** Waits until the deployment's step runs, so that the rotation meets it running. */
    private void awaitExecuting(String taskId) {
      JsonNode[] task = new JsonNode[1];
      Waits.until(
          STARTED,
          () -> "task " + taskId + " to start; last seen: " + task[0],
          () -> {
            task[0] = api.get("/api/tasks/" + taskId);
            return !task[0].path("state").asText().equals("Queued");
          });
    }

    @Test
    @Order(3)
    void showMasterKey_printsTheNewKey_whoseIdTheReportNames() throws IOException {
      newKey = server.masterKey();
      newKeyId = keyId();
      Matcher report = REPORT.matcher(rotated.stdout());
      assertThat(report.find()).as(rotated.toString()).isTrue();
      JsonNode json = JSON.readTree(Path.of(report.group(2)).toFile());
      String markdown = Files.readString(Path.of(report.group(1)));

      assertThat(newKey).isNotEqualTo(oldKey);
      assertThat(newKeyId).isNotEqualTo(oldKeyId);
      assertThat(rotated.stdout()).contains(oldKeyId + " → " + newKeyId);
      assertThat(json.path("oldMasterKeyId").asText()).isEqualTo(oldKeyId);
      assertThat(json.path("newMasterKeyId").asText()).isEqualTo(newKeyId);
      assertThat(json.path("serverCertificate").path("thumbprint").asText()).isEqualTo(thumbprint);
      assertThat(markdown).contains(oldKeyId + " → " + newKeyId).contains(thumbprint);
      for (String text : List.of(markdown, json.toString())) {
        assertThat(text).doesNotContain(oldKey, newKey).doesNotContain(secrets.all());
      }
    }

    @Test
    @Order(4)
    void theOldKey_opensNothing_setMasterKeyRefusesIt_andTheConfigStays() {
      String configBefore = server.configFileContent();

      CliResult refused = server.run("set-master-key", "--masterKey", oldKey);
      outputs.add(refused);

      refused.exited(CliResult.FAILED);
      assertThat(refused.error())
          .contains("(key id " + oldKeyId + ") does not open the instance's database")
          .contains("sealed with key id " + newKeyId);
      assertThat(server.configFileContent()).isEqualTo(configBefore);
      assertThat(server.masterKey()).isEqualTo(newKey);
    }

    @Test
    @Order(5)
    void theTentacle_isStillHealthy_withoutAnyTrustChange() {
      HealthCheck check = api.checkHealth(tentacleId);

      assertThat(check.status(tentacleId)).as(check.toString()).isEqualTo("Healthy");
      assertThat(check.connectivity(tentacleId)).isEqualTo("Connected");
      assertThat(api.serverThumbprint()).isEqualTo(thumbprint);
      assertThat(server.thumbprint()).isEqualTo(thumbprint);
      assertThat(tentacle.configBytes()).isEqualTo(tentacleConfig);
    }

    @Test
    @Order(6)
    void aNewRelease_deploysWithTheRightSecrets() {
      shop.deploysWithTheSecrets(shop.newRelease(), TARGETS);
    }

    @Test
    @Order(7)
    void afterARestart_theServerOpensWithTheNewKey_andANewReleaseDeploys() {
      site.stop(server);
      site.start(server);

      assertThat(api.serverThumbprint()).isEqualTo(thumbprint);
      shop.deploysWithTheSecrets(shop.newRelease(), TARGETS);
    }

    @Test
    @Order(8)
    void theBackupFromBeforeTheRotation_opensOnlyWithTheOldKey() {
      // Without --masterKey, verify-backup uses the instance's key: the new one.
      CliResult withTheNewKey = server.run("verify-backup", "--file", backupBefore.toString());
      outputs.add(withTheNewKey);
      CliResult withTheOldKey =
          run("verify-backup", "--file", backupBefore.toString(), "--masterKey", oldKey);

      withTheNewKey.exited(CliResult.FAILED);
      assertThat(withTheNewKey.error())
          .contains("The key (id " + newKeyId + ") does not open this backup")
          .contains("it was made with key id " + oldKeyId);
      assertThat(withTheOldKey.stdout())
          .contains("every one of its")
          .contains("opens with master key id " + oldKeyId);
    }

    @Test
    @Order(9)
    void aBackupAfterTheRotation_opensEveryValueWithTheNewKey() {
      Path after = tmp.resolve("backups").resolve("after.zip");
      run("backup", "--file", after.toString());

      CliResult verified = run("verify-backup", "--file", after.toString());

      assertThat(verified.stdout())
          .contains("opens with master key id " + newKeyId)
          .containsPattern("accounts\\.password\\s+1 / 0\\s+ok")
          .containsPattern("server_certificate\\.private_key\\s+1 / 0\\s+ok")
          .doesNotContain("FAILED");
    }

    @Test
    @Order(10)
    void noCommandOutput_noApiResponse_andNoServiceLog_everShowedASecretOrAKey() {
      List<String> shown = new ArrayList<>(api.bodiesReceived());
      outputs.forEach(r -> shown.add(r.stdout() + r.stderr()));
      shown.addAll(site.serviceLogs());

      assertThat(outputs).hasSizeGreaterThan(6);
      for (String text : shown) {
        assertThat(text).doesNotContain(secrets.all()).doesNotContain(newKey);
      }
      // The old key is in one command line only (verify-backup --masterKey), never in output.
      for (CliResult r : outputs) {
        assertThat(r.stdout() + r.stderr()).doesNotContain(oldKey);
      }
    }

    // ---- helpers

    private CliResult run(String command, String... args) {
      CliResult result = server.run(command, args);
      outputs.add(result);
      return result.succeeded();
    }

    private String keyId() {
      String json = server.run("show-master-key", "--format", "json").succeeded().stdout();
      Matcher id = KEY_ID.matcher(json);
      assertThat(id.find()).as(json).isTrue();
      return id.group(1);
    }
  }
}
