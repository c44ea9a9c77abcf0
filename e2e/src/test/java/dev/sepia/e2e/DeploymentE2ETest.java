package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.e2e.tentacle.Cleanup;
import dev.sepia.e2e.tentacle.Ports;
import dev.sepia.e2e.tentacle.SepiaApi;
import dev.sepia.e2e.tentacle.SepiaApi.HealthCheck;
import dev.sepia.e2e.tentacle.SepiaTentacleCli;
import dev.sepia.e2e.tentacle.ServerSentEvent;
import dev.sepia.e2e.tentacle.ServerUnderTest;
import dev.sepia.e2e.tentacle.TentacleResult;
import dev.sepia.e2e.tentacle.TestTentacle;
import dev.sepia.e2e.tentacle.Together;
import dev.sepia.e2e.tentacle.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Deploying a release as an operator would, through the REST API, with a real server and two real
 * Tentacles (web01 listening, web02 polling) registered with {@code register-with} in Staging and
 * Production and running as services. The tests run in order: the lifecycle refuses Production
 * first, Staging then Production succeed with each environment's values on both targets and every
 * secret masked, a long deployment is cancelled and retried, and the log can be followed live.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Its tests share what the class starts, so they run one at a time; other classes run beside them.
@ResourceLock("DeploymentE2ETest")
class DeploymentE2ETest {
  /** Deployments on a busy two-core machine; generous, since only a failure waits this long. */
  private static final Duration DEPLOYMENT = Duration.ofMinutes(3);

  private static final String MASK = "********";
  private static final String SECRET =
      "s3cr3t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private static final String SECRET_BASE64 =
      Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
  private static final String TOKEN =
      "tok3n-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

  @TempDir static Path tmp;
  static ServerUnderTest server;
  static SepiaApi api;
  static TestTentacle listening;
  static TestTentacle polling;
  static TentacleResult refusedRegistration;
  static byte[] pollingConfigBeforeRefusal;
  static byte[] pollingConfigAfterRefusal;
  static String stagingId;
  static String productionId;
  static String web01Id;
  static String web02Id;
  static Path outDir;
  static String projectId;
  static String releaseId;
  static String releaseVersion;
  static String stagingTaskId;

  @BeforeAll
  static void installAServerAndTwoTentacles() throws IOException {
    server = ServerUnderTest.installAndStart(tmp, "Deploy", "Staging", "Production");
    api = server.api();
    String thumbprint = api.serverThumbprint();
    Together.run(
        () -> installTheListeningTentacle(thumbprint), () -> installThePollingTentacle(thumbprint));
    stagingId = api.environmentNamed("Staging").path("id").asText();
    productionId = api.environmentNamed("Production").path("id").asText();
    web01Id = api.machineNamed("web01").path("id").asText();
    web02Id = api.machineNamed("web02").path("id").asText();
    // A deployment needs the polling Tentacle connected; a health check waits until it is.
    HealthCheck check = api.checkHealth(web01Id, web02Id);
    for (String id : List.of(web01Id, web02Id)) {
      assertThat(check.status(id)).as(check.toString()).isEqualTo("Healthy");
    }
    outDir = Files.createDirectories(tmp.resolve("deployed"));
  }

  private static void installTheListeningTentacle(String serverThumbprint) {
    listening =
        TestTentacle.create(new SepiaTentacleCli(tmp.resolve("web01-machine"), tmp), tmp, "Web01");
    listening.newCertificate();
    int port = Ports.free();
    listening
        .run(
            "configure",
            "--port",
            Integer.toString(port),
            "--listenIpAddress",
            "127.0.0.1",
            "--trust=" + serverThumbprint)
        .succeeded();
    register(
            listening,
            "web01",
            List.of("Staging", "Production"),
            "--comms-style",
            "TentaclePassive",
            "--publicHostName",
            "127.0.0.1",
            "--tentacle-comms-port",
            Integer.toString(port))
        .succeeded();
    listening.run("service", "--install", "--start").succeeded();
  }

  private static void installThePollingTentacle(String serverThumbprint) {
    polling =
        TestTentacle.create(new SepiaTentacleCli(tmp.resolve("web02-machine"), tmp), tmp, "Web02");
    polling.newCertificate();
    polling.run("configure", "--noListen", "true", "--trust=" + serverThumbprint).succeeded();
    String[] how = {
      "--comms-style", "TentacleActive", "--server-comms-port", Integer.toString(server.commsPort())
    };
    // An operator's typo first: an environment the server does not have.
    pollingConfigBeforeRefusal = polling.configBytes();
    refusedRegistration =
        register(polling, "web02", List.of("Staging", "Nowhere"), how)
            .exited(TentacleResult.FAILED);
    pollingConfigAfterRefusal = polling.configBytes();
    register(polling, "web02", List.of("Staging", "Production"), how).succeeded();
    polling.run("service", "--install", "--start").succeeded();
  }

  private static TentacleResult register(
      TestTentacle tentacle, String name, List<String> environments, String... how) {
    List<String> args =
        new ArrayList<>(
            List.of("--server", server.url(), "--apiKey", server.apiKey(), "--name", name));
    for (String environment : environments) {
      args.add("--environment");
      args.add(environment);
    }
    args.addAll(List.of("--role", "web"));
    args.addAll(List.of(how));
    return tentacle.run("register-with", args.toArray(String[]::new));
  }

  @AfterAll
  static void stopEverything() {
    Cleanup.closeAll(
        listening == null ? null : listening::killServiceIfRunning,
        polling == null ? null : polling::killServiceIfRunning,
        server);
  }

  @Test
  @Order(1)
  void registerWith_anEnvironmentThatDoesNotExist_isRefused_andChangesNothing() {
    assertThat(refusedRegistration.error())
        .contains("no environment named 'Nowhere'")
        .contains("Create it first");
    assertThat(pollingConfigAfterRefusal).isEqualTo(pollingConfigBeforeRefusal);
    assertThat(api.get("/api/machines?name=web").path("items"))
        .extracting(m -> m.path("name").asText())
        .containsExactlyInAnyOrder("web01", "web02");
  }

  @Test
  @Order(2)
  void aReleaseOfAProjectWithScopedAndSensitiveVariables_isCreated() {
    projectId = api.post("/api/projects", Map.of("name", "Shop")).path("id").asText();
    api.put(
        "/api/projects/" + projectId + "/variables",
        Map.of(
            "variables",
            List.of(
                variable("Greeting", "Hello from Staging", false, List.of(stagingId), List.of()),
                variable(
                    "Greeting", "Hello from Production", false, List.of(productionId), List.of()),
                variable("AppName", "Sepia Shop", false, List.of(), List.of()),
                variable("Colour", "green", false, List.of(), List.of()),
                variable("Colour", "blue", false, List.of(), List.of(web01Id)),
                variable("DbPassword", SECRET, true, List.of(), List.of()),
                variable(
                    "ConnectionString",
                    "Server=db;Password=#{DbPassword}",
                    false,
                    List.of(),
                    List.of()))));
    api.put(
        "/api/projects/" + projectId + "/process",
        Map.of(
            "steps",
            List.of(
                step(
                    "Write what the target sees",
                    WRITE_VALUES,
                    Map.of("OutDir", outDir.toString()),
                    Map.of("ApiToken", TOKEN)))));
    // What an operator would look at before releasing; none of it may show a secret (see below).
    api.get("/api/projects/" + projectId + "/variables");
    api.get("/api/projects/" + projectId + "/process");

    JsonNode release = api.post("/api/releases", Map.of("projectId", projectId));
    releaseId = release.path("id").asText();
    releaseVersion = release.path("version").asText();

    assertThat(releaseId).startsWith("Releases-");
    assertThat(releaseVersion).isNotBlank();
    assertThat(api.get("/api/releases/" + releaseId).path("variables"))
        .filteredOn(v -> v.path("name").asText().equals("DbPassword"))
        .singleElement()
        .satisfies(v -> assertThat(v.path("isSet").asBoolean()).isTrue());
  }

  /**
   * Writes every value it sees to a file per target and environment (the Tentacles run on this
   * machine, so the test reads them), and prints the secret, its Base64, a value built from it and
   * a sensitive step parameter to the task log.
   */
  private static final String WRITE_VALUES =
      """
      set -eu
      out='#{Parameters.OutDir}/#{Sepia.Machine.Name}-#{Sepia.Environment.Name}.properties'
      cat > "$out" <<'VALUES'
      greeting=#{Greeting}
      appName=#{AppName}
      colour=#{Colour}
      machine=#{Sepia.Machine.Name}
      environment=#{Sepia.Environment.Name}
      release=#{Sepia.Release.Number}
      password=#{DbPassword}
      connection=#{ConnectionString}
      token=#{Parameters.ApiToken}
      VALUES
      echo "greeting=#{Greeting}"
      echo "secret=#{DbPassword}"
      echo "base64=#{DbPassword | Base64}"
      echo "connection=#{ConnectionString}"
      echo "token=#{Parameters.ApiToken}"
      """;

  @Test
  @Order(3)
  void deployingToProductionFirst_isRefused_namingStaging_andQueuesNothing() {
    int tasksBefore = api.get("/api/tasks").path("totalResults").asInt();

    SepiaApi.Response refused =
        api.call(
            "POST",
            "/api/deployments",
            Map.of("releaseId", releaseId, "environmentId", productionId));

    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.json().path("error").asText()).contains("Staging").contains("first");
    assertThat(api.get("/api/deployments?releaseId=" + releaseId).path("totalResults").asInt())
        .isZero();
    assertThat(api.get("/api/tasks").path("totalResults").asInt()).isEqualTo(tasksBefore);
  }

  @Test
  @Order(4)
  void deployingToStaging_runsTheStepOnBothTentacles_withStagingValues() {
    stagingTaskId = deploy(stagingId);

    JsonNode task = awaitFinished(stagingTaskId);

    String log = api.text("/api/tasks/" + stagingTaskId + "/raw");
    assertThat(task.path("state").asText()).as(log).isEqualTo("Success");
    assertThat(log).contains("[web01] greeting=Hello from Staging");
    assertThat(log).contains("[web02] greeting=Hello from Staging");
    for (String target : List.of("web01", "web02")) {
      Properties seen = valuesWrittenBy(target, "Staging");
      assertThat(seen.getProperty("greeting")).isEqualTo("Hello from Staging");
      assertThat(seen.getProperty("appName")).isEqualTo("Sepia Shop");
      assertThat(seen.getProperty("colour")).isEqualTo(target.equals("web01") ? "blue" : "green");
      assertThat(seen.getProperty("machine")).isEqualTo(target);
      assertThat(seen.getProperty("environment")).isEqualTo("Staging");
      assertThat(seen.getProperty("release")).isEqualTo(releaseVersion);
      // The target itself gets the real values; only what is shown is masked.
      assertThat(seen.getProperty("password")).isEqualTo(SECRET);
      assertThat(seen.getProperty("connection")).isEqualTo("Server=db;Password=" + SECRET);
      assertThat(seen.getProperty("token")).isEqualTo(TOKEN);
    }
  }

  @Test
  @Order(5)
  void theStagingLog_masksTheSecret_itsDerivedForms_andTheValueBuiltFromIt() {
    String log = api.text("/api/tasks/" + stagingTaskId + "/raw");

    for (String target : List.of("web01", "web02")) {
      assertThat(fromLineContaining(log, "[" + target + "] secret=")).endsWith("secret=" + MASK);
      assertThat(fromLineContaining(log, "[" + target + "] base64=")).endsWith("base64=" + MASK);
      assertThat(fromLineContaining(log, "[" + target + "] token=")).endsWith("token=" + MASK);
      assertThat(fromLineContaining(log, "[" + target + "] connection="))
          .contains(MASK)
          .doesNotContain(SECRET);
    }
    assertThat(log)
        .doesNotContain(SECRET)
        .doesNotContain(SECRET_BASE64)
        .doesNotContain("Server=db;Password=" + SECRET)
        .doesNotContain(TOKEN);
  }

  @Test
  @Order(6)
  void thenDeployingToProduction_succeeds_withProductionValues() {
    String taskId = deploy(productionId);

    JsonNode task = awaitFinished(taskId);

    String log = api.text("/api/tasks/" + taskId + "/raw");
    assertThat(task.path("state").asText()).as(log).isEqualTo("Success");
    assertThat(log).doesNotContain(SECRET).doesNotContain(SECRET_BASE64).doesNotContain(TOKEN);
    for (String target : List.of("web01", "web02")) {
      Properties seen = valuesWrittenBy(target, "Production");
      assertThat(seen.getProperty("greeting")).isEqualTo("Hello from Production");
      assertThat(seen.getProperty("environment")).isEqualTo("Production");
      assertThat(seen.getProperty("appName")).isEqualTo("Sepia Shop");
      assertThat(seen.getProperty("password")).isEqualTo(SECRET);
    }
    JsonNode release = api.get("/api/releases/" + releaseId);
    assertThat(release.path("progression").path("deployedEnvironmentIds"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder(stagingId, productionId);
  }

  @Test
  @Order(7)
  void aRunningDeployment_cancelledThroughTheApi_endsCancelled_andStopsTheScripts() {
    String sleeperRelease = releaseOfASleeper();
    String taskId = deploy(sleeperRelease, stagingId);
    awaitBothStarted(taskId);
    List<Long> sleeps = sleepPids();

    JsonNode asked = api.post("/api/tasks/" + taskId + "/cancel", Map.of());

    assertThat(asked.path("id").asText()).isEqualTo(taskId);
    JsonNode task = awaitFinished(taskId);
    assertThat(task.path("state").asText())
        .as(api.text("/api/tasks/" + taskId + "/raw"))
        .isEqualTo("Cancelled");
    Waits.until(
        DEPLOYMENT,
        () -> "the cancelled scripts' sleep processes " + sleeps + " to end",
        () -> sleeps.stream().noneMatch(DeploymentE2ETest::alive));

    // Retry: a new task for the same release and environment, that runs and can be followed.
    JsonNode retried = api.post("/api/tasks/" + taskId + "/retry", Map.of());
    String retryId = retried.path("id").asText();
    assertThat(retryId).isNotBlank().isNotEqualTo(taskId);
    assertThat(api.get("/api/tasks/" + retryId).path("name").asText()).isEqualTo("Deploy");
    awaitBothStarted(retryId);
    assertThat(api.get("/api/tasks/" + retryId).path("state").asText()).isEqualTo("Executing");
    assertThat(
            api.get("/api/deployments?releaseId=" + sleeperRelease)
                .path("items")
                .findValuesAsText("taskId"))
        .containsExactlyInAnyOrder(taskId, retryId);
    // Cancelled too, rather than waiting for the sleep; followed to its end over the stream.
    api.post("/api/tasks/" + retryId + "/cancel", Map.of());
    List<ServerSentEvent> events = api.events("/api/tasks/" + retryId + "/stream", DEPLOYMENT);
    assertThat(events).last().extracting(ServerSentEvent::event).isEqualTo("state");
    assertThat(events.getLast().data()).contains("Cancelled");
    assertThat(events)
        .filteredOn(e -> e.event().equals("line"))
        .extracting(ServerSentEvent::data)
        .anySatisfy(line -> assertThat(line).endsWith("[web01] started"))
        .anySatisfy(line -> assertThat(line).endsWith("[web02] started"));
  }

  @Test
  @Order(8)
  void theStreamOfAFinishedTask_yieldsEveryLineOfItsLog_inOrder_thenItsState() {
    String raw = api.text("/api/tasks/" + stagingTaskId + "/raw");
    List<String> lines = raw.lines().toList();

    List<ServerSentEvent> events =
        api.events("/api/tasks/" + stagingTaskId + "/stream", DEPLOYMENT);

    assertThat(lines).isNotEmpty();
    assertThat(events).hasSize(lines.size() + 1);
    for (int i = 0; i < lines.size(); i++) {
      ServerSentEvent event = events.get(i);
      assertThat(event.event()).isEqualTo("line");
      assertThat(event.id()).isEqualTo(Integer.toString(i + 1));
      assertThat(event.data()).isEqualTo(lines.get(i));
    }
    ServerSentEvent state = events.getLast();
    assertThat(state.event()).isEqualTo("state");
    assertThat(state.data()).contains("\"Success\"");
  }

  @Test
  @Order(9)
  void noApiResponse_everShowedTheSecrets() {
    List<String> bodies = api.bodiesReceived();

    assertThat(bodies).hasSizeGreaterThan(20);
    for (String body : bodies) {
      assertThat(body).doesNotContain(SECRET).doesNotContain(SECRET_BASE64).doesNotContain(TOKEN);
    }
  }

  @Test
  @Order(10)
  void noServiceLog_showsTheSecrets() {
    for (String log : List.of(server.log(), listening.serviceLog(), polling.serviceLog())) {
      assertThat(log).doesNotContain(SECRET).doesNotContain(SECRET_BASE64).doesNotContain(TOKEN);
    }
  }

  // ---- helpers

  private static Map<String, Object> variable(
      String name,
      String value,
      boolean sensitive,
      List<String> environments,
      List<String> machines) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", name);
    v.put("value", value);
    v.put("isSensitive", sensitive);
    v.put("scope", Map.of("environments", environments, "roles", List.of(), "machines", machines));
    return v;
  }

  private static Map<String, Object> step(
      String name, String script, Map<String, String> parameters, Map<String, String> sensitive) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", name);
    s.put("kind", "RunScript");
    s.put("targetRoles", List.of("web"));
    s.put("script", script);
    s.put("parameters", parameters);
    s.put("sensitiveParameters", sensitive);
    s.put("maxParallel", 10);
    return s;
  }

  /**
   * A second project whose step says it started, records its sleep's process id, and sleeps two
   * minutes; returns a release of it.
   */
  private static String releaseOfASleeper() {
    String sleeper = api.post("/api/projects", Map.of("name", "Sleeper")).path("id").asText();
    String script =
        """
        sleep 120 &
        echo $! > '#{Parameters.OutDir}/#{Sepia.Machine.Name}.sleep.pid'
        echo started
        wait
        echo finished
        """;
    api.put(
        "/api/projects/" + sleeper + "/process",
        Map.of(
            "steps",
            List.of(step("Sleep", script, Map.of("OutDir", outDir.toString()), Map.of()))));
    return api.post("/api/releases", Map.of("projectId", sleeper)).path("id").asText();
  }

  private static void awaitBothStarted(String taskId) {
    Waits.until(
        DEPLOYMENT,
        () ->
            "both targets to start task "
                + taskId
                + ":\n"
                + api.text("/api/tasks/" + taskId + "/raw"),
        () -> {
          String log = api.text("/api/tasks/" + taskId + "/raw");
          return log.contains("[web01] started") && log.contains("[web02] started");
        });
  }

  private static List<Long> sleepPids() {
    List<Long> pids = new ArrayList<>();
    for (String target : List.of("web01", "web02")) {
      Path file = outDir.resolve(target + ".sleep.pid");
      try {
        pids.add(Long.parseLong(Files.readString(file).strip()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pids;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static String deploy(String environmentId) {
    return deploy(releaseId, environmentId);
  }

  /** Queues a deployment and returns its task's id. */
  private static String deploy(String release, String environmentId) {
    JsonNode deployment =
        api.post("/api/deployments", Map.of("releaseId", release, "environmentId", environmentId));
    assertThat(deployment.path("id").asText()).startsWith("Deployments-");
    return deployment.path("taskId").asText();
  }

  private static JsonNode awaitFinished(String taskId) {
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

  private static Properties valuesWrittenBy(String target, String environment) {
    Path file = outDir.resolve(target + "-" + environment + ".properties");
    Properties values = new Properties();
    try (var reader = Files.newBufferedReader(file)) {
      values.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("Reading what " + target + " wrote", e);
    }
    return values;
  }

  /** The one log line containing {@code start}, from there on. */
  private static String fromLineContaining(String log, String start) {
    List<String> found = log.lines().filter(l -> l.contains(start)).toList();
    assertThat(found).as("lines with '%s' in\n%s", start, log).hasSize(1);
    String line = found.getFirst();
    return line.substring(line.indexOf(start));
  }
}
