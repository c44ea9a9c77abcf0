package dev.sepia.server.engine.deployments;

import static dev.sepia.server.engine.deployments.SepiaApi.ok;
import static dev.sepia.server.engine.deployments.SepiaApi.variable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.TestServer;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules around deployments, through the API: lifecycle order, steps that no target can run,
 * substitution errors, cancelling and retrying, the live log stream, frozen release snapshots, and
 * masking of values derived from secrets. Scripts run on a real local SSH server.
 */
class DeploymentRulesTest {
  static final String SSH_PASSWORD = "ssh-Pa55-" + UUID.randomUUID();

  @TempDir static Path temp;
  static SepiaApi api;
  static SshHost host;
  static String account;

  @BeforeAll
  static void start() throws Exception {
    host = new SshHost(SSH_PASSWORD);
    api =
        SepiaApi.start(temp.resolve("server"), TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    account = api.passwordAccount("deploy", SshHost.USER, SSH_PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    host.close();
  }

  /** An environment with one SSH target (role "web", named "t-" + name); returns its id. */
  static String sshEnvironment(String name) {
    String id = api.environment(name);
    api.sshTarget("t-" + name, name, "web", host.port(), host.fingerprint(), account);
    return id;
  }

  static Map<String, List<String>> phases(Object... nameThenEnvironmentIds) {
    Map<String, List<String>> phases = new LinkedHashMap<>();
    for (int i = 0; i < nameThenEnvironmentIds.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> ids = (List<String>) nameThenEnvironmentIds[i + 1];
      phases.put((String) nameThenEnvironmentIds[i], ids);
    }
    return phases;
  }

  static Path folder(String name) throws Exception {
    return Files.createDirectories(temp.resolve("work").resolve(name));
  }

  static String state(JsonNode deployment) {
    return deployment.get("state").asText();
  }

  static String error(JsonNode deployment) {
    return deployment.get("task").get("errorMessage").asText();
  }

  // ---- Lifecycles ----

  @Test
  void lifecycle_secondEnvironmentBeforeTheFirstSucceeded_isRefusedNamingTheFirst() {
    String dev = sshEnvironment("Order Dev");
    String prod = sshEnvironment("Order Prod");
    String lifecycle =
        api.lifecycle(
            "Order lifecycle", phases("Development", List.of(dev), "Production", List.of(prod)));
    String project = api.project("Order", lifecycle);
    api.process(project, "Say", "web", "echo deployed to #{Sepia.Environment.Name}");
    String release = api.release(project);

    TestServer.Response refused = api.deploy(release, prod);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.text())
        .contains("Order Dev")
        .contains("Order Prod")
        .contains("Order lifecycle")
        .contains("Development");
    assertThat(
            ok(api.get("/api/deployments?releaseId=" + release), 200).get("totalResults").asInt())
        .isZero();
    assertThat(
            ok(api.get("/api/releases/" + release), 200)
                .get("progression")
                .get("allowedEnvironmentIds")
                .toString())
        .contains(dev)
        .doesNotContain(prod);

    JsonNode first = api.deployAndWait(release, dev);
    assertThat(state(first)).isEqualTo("Success");

    JsonNode second = api.deployAndWait(release, prod);
    assertThat(state(second)).isEqualTo("Success");
    assertThat(api.rawLog(second.get("taskId").asText()))
        .contains("[t-Order Prod] deployed to Order Prod");
    // Going back to an earlier phase is always allowed.
    assertThat(api.deploy(release, dev).status()).isEqualTo(201);
  }

  @Test
  void lifecycle_aFailedDeploymentDoesNotOpenTheNextPhase() {
    String dev = sshEnvironment("Fail Dev");
    String prod = sshEnvironment("Fail Prod");
    String lifecycle =
        api.lifecycle("Fail lifecycle", phases("Dev", List.of(dev), "Prod", List.of(prod)));
    String project = api.project("Fails", lifecycle);
    api.process(project, "Break", "web", "echo breaking\nexit 4");
    String release = api.release(project);

    JsonNode failed = api.deployAndWait(release, dev);

    assertThat(state(failed)).isEqualTo("Failed");
    assertThat(error(failed)).contains("Break").contains("exit code 4");
    assertThat(api.rawLog(failed.get("taskId").asText()))
        .contains("[t-Fail Dev] The script failed with exit code 4");
    TestServer.Response refused = api.deploy(release, prod);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.text()).contains("Fail Dev");
  }

  @Test
  void customLifecycle_aPhaseOfTwoEnvironmentsNeedsBothBeforeTheNext() {
    String qa = sshEnvironment("Phase QA");
    String staging = sshEnvironment("Phase Staging");
    String perf = sshEnvironment("Phase Perf");
    String live = sshEnvironment("Phase Live");
    String lifecycle =
        api.lifecycle(
            "Phased",
            phases(
                "Testing",
                List.of(qa),
                "Pre-production",
                List.of(staging, perf),
                "Live",
                List.of(live)));
    String project = api.project("Phased project", lifecycle);
    api.process(project, "Say", "web", "echo ok");
    String release = api.release(project);

    assertThat(api.deploy(release, staging).status()).isEqualTo(409);
    assertThat(state(api.deployAndWait(release, qa))).isEqualTo("Success");
    assertThat(state(api.deployAndWait(release, staging))).isEqualTo("Success");

    TestServer.Response refused = api.deploy(release, live);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.text()).contains("Phase Perf").contains("Pre-production");
    assertThat(refused.text()).doesNotContain("Phase Staging,");

    assertThat(state(api.deployAndWait(release, perf))).isEqualTo("Success");
    assertThat(state(api.deployAndWait(release, live))).isEqualTo("Success");
    assertThat(
            ok(api.get("/api/releases/" + release), 200)
                .get("progression")
                .get("deployedEnvironmentIds")
                .size())
        .isEqualTo(4);
  }

  @Test
  void environmentNotInTheLifecycle_isRefused() {
    String inside = sshEnvironment("Inside");
    String outside = sshEnvironment("Outside");
    String lifecycle = api.lifecycle("Narrow", phases("Only", List.of(inside)));
    String project = api.project("Narrow project", lifecycle);
    api.process(project, "Say", "web", "echo ok");
    String release = api.release(project);

    TestServer.Response refused = api.deploy(release, outside);

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.text()).contains("Outside").contains("Narrow");
    assertThat(api.deploy(release, inside).status()).isEqualTo(201);
  }

  @Test
  void unknownReleaseOrEnvironment_is404() {
    String env = api.environment("Lonely");
    assertThat(api.deploy("Releases-nope", env).status()).isEqualTo(404);
    String project = api.projectOnlyFor("Lonely project", env);
    api.process(project, "Say", "web", "echo ok");
    assertThat(api.deploy(api.release(project), "Environments-nope").status()).isEqualTo(404);
  }

  // ---- Failures while running ----

  @Test
  void stepWhoseRolesNoTargetHas_failsNamingTheRoleAndEnvironment() {
    String env = sshEnvironment("Roleless");
    String project = api.projectOnlyFor("Roleless project", env);
    api.process(project, "Migrate", "database-server", "echo never");

    JsonNode deployment = api.deployAndWait(api.release(project), env);

    assertThat(state(deployment)).isEqualTo("Failed");
    assertThat(error(deployment))
        .contains("Migrate")
        .contains("database-server")
        .contains("Roleless");
  }

  @Test
  void stepFailingOnOneOfTwoTargets_runsOnBoth_andFailsNamingTheOneThatFailed() {
    String env = sshEnvironment("Pair");
    api.sshTarget("t-Pair-second", "Pair", "web", host.port(), host.fingerprint(), account);
    String project = api.projectOnlyFor("Pair project", env);
    api.process(
        project,
        "Check",
        "web",
        "echo \"checking #{Sepia.Machine.Name}\"\n"
            + "if [ \"#{Sepia.Machine.Name}\" = t-Pair-second ]; then exit 9; fi\n");

    JsonNode deployment = api.deployAndWait(api.release(project), env);

    String log = api.rawLog(deployment.get("taskId").asText());
    assertThat(state(deployment)).as(log).isEqualTo("Failed");
    assertThat(error(deployment)).contains("t-Pair-second").contains("exit code 9");
    assertThat(error(deployment)).doesNotContain("t-Pair (");
    assertThat(log)
        .contains("[t-Pair] checking t-Pair")
        .contains("[t-Pair] Done")
        .contains("[t-Pair-second] checking t-Pair-second")
        .contains("[t-Pair-second] The script failed with exit code 9");
  }

  @Test
  void undefinedVariable_failsNamingTheVariable_withoutShowingASecret() throws Exception {
    String secret = "Subst-S3cret-" + UUID.randomUUID();
    Path proof = folder("undefined").resolve("ran.txt");
    String env = sshEnvironment("Undefined");
    String project = api.projectOnlyFor("Undefined project", env);
    api.variables(project, List.of(variable("Secret", secret, true)));
    api.process(
        project,
        "Configure",
        "web",
        "echo \"#{Secret}\" > '" + proof + "'\necho \"#{Database.Hostname}\"");

    JsonNode deployment = api.deployAndWait(api.release(project), env);

    assertThat(state(deployment)).isEqualTo("Failed");
    assertThat(error(deployment)).contains("Database.Hostname").doesNotContain(secret);
    assertThat(api.rawLog(deployment.get("taskId").asText()))
        .contains("Database.Hostname")
        .doesNotContain(secret);
    assertThat(proof).as("nothing runs when the script cannot be prepared").doesNotExist();
  }

  @Test
  void sensitiveValueReferringToAnUndefinedVariable_failsWithoutShowingTheValue() {
    String secretPart = "tr1cky-" + UUID.randomUUID();
    String env = sshEnvironment("Tricky");
    String project = api.projectOnlyFor("Tricky project", env);
    api.variables(project, List.of(variable("Tricky", secretPart + "-#{Hidden.Reference}", true)));
    api.process(project, "Use", "web", "echo \"#{Tricky}\"");

    JsonNode deployment = api.deployAndWait(api.release(project), env);

    assertThat(state(deployment)).isEqualTo("Failed");
    assertThat(error(deployment))
        .contains("Tricky")
        .doesNotContain(secretPart)
        .doesNotContain("Hidden.Reference");
    assertThat(api.rawLog(deployment.get("taskId").asText()))
        .doesNotContain(secretPart)
        .doesNotContain("Hidden.Reference");
  }

  // ---- Cancel and retry ----

  @Test
  void cancellingARunningDeployment_stopsTheScript_andRetryDeploysTheSameReleaseAgain()
      throws Exception {
    Path work = folder("cancel");
    Path marker = work.resolve("go-on");
    Path sleepPid = work.resolve("sleep.pid");
    Path after = work.resolve("after");
    String env = sshEnvironment("Cancel");
    String project = api.projectOnlyFor("Cancel project", env);
    api.process(
        project,
        "Wait",
        "web",
        "echo started\n"
            + "if [ ! -f '"
            + marker
            + "' ]; then sleep 60 & echo $! > '"
            + sleepPid
            + "'; wait $!; fi\n"
            + "echo finished > '"
            + after
            + "'\n");
    String release = api.release(project);
    JsonNode queued = ok(api.deploy(release, env), 201);
    String taskId = queued.get("taskId").asText();

    awaitLog(taskId, "[t-Cancel] started");
    awaitFile(sleepPid);
    JsonNode cancelling = ok(api.post("/api/tasks/" + taskId + "/cancel", Map.of()), 200);
    assertThat(cancelling.get("id").asText()).isEqualTo(taskId);
    JsonNode cancelled = api.awaitDeployment(queued.get("id").asText());

    assertThat(state(cancelled)).isEqualTo("Cancelled");
    assertThat(api.rawLog(taskId)).contains("[t-Cancel] Cancelled");
    long pid = Long.parseLong(Files.readString(sleepPid).strip());
    awaitGone(pid);
    assertThat(after).as("the script did not go on after being cancelled").doesNotExist();
    assertThat(api.post("/api/tasks/" + taskId + "/cancel", Map.of()).status()).isEqualTo(409);

    Files.writeString(marker, "go on");
    JsonNode retried = ok(api.post("/api/tasks/" + taskId + "/retry", Map.of()), 201);
    String retryTaskId = retried.get("id").asText();
    assertThat(retryTaskId).isNotEqualTo(taskId);
    assertThat(retried.get("name").asText()).isEqualTo("Deploy");
    JsonNode task = api.server.awaitTask(retryTaskId);
    assertThat(task.get("state").asText()).as(api.rawLog(retryTaskId)).isEqualTo("Success");
    assertThat(after).exists();

    JsonNode deployments = ok(api.get("/api/deployments?releaseId=" + release), 200);
    assertThat(deployments.get("totalResults").asInt()).isEqualTo(2);
    List<String> states = new ArrayList<>();
    for (JsonNode d : deployments.get("items")) {
      assertThat(d.get("releaseId").asText()).isEqualTo(release);
      assertThat(d.get("environmentId").asText()).isEqualTo(env);
      states.add(d.get("taskId").asText() + "=" + d.get("state").asText());
    }
    assertThat(states).containsExactlyInAnyOrder(taskId + "=Cancelled", retryTaskId + "=Success");
    assertThat(api.post("/api/tasks/" + retryTaskId + "/retry", Map.of()).status()).isEqualTo(409);
  }

  @Test
  void retry_followsTheLifecycleAsItIsNow() {
    String qa = sshEnvironment("Retry QA");
    String prod = sshEnvironment("Retry Prod");
    String lifecycle = api.lifecycle("Retry lifecycle", phases("Prod", List.of(prod)));
    String project = api.project("Retried", lifecycle);
    api.process(
        project,
        "Break in Prod",
        "web",
        "if [ \"#{Sepia.Environment.Name}\" = \"Retry Prod\" ]; then exit 3; fi\necho fine");
    String release = api.release(project);
    JsonNode failed = api.deployAndWait(release, prod);
    assertThat(state(failed)).isEqualTo("Failed");
    String taskId = failed.get("taskId").asText();

    // The lifecycle now wants QA first: retrying the failed Production deployment may not skip it.
    List<Map<String, Object>> stricter =
        List.of(
            Map.of("name", "QA", "environmentIds", List.of(qa)),
            Map.of("name", "Prod", "environmentIds", List.of(prod)));
    ok(
        api.put(
            "/api/lifecycles/" + lifecycle, Map.of("name", "Retry lifecycle", "phases", stricter)),
        200);
    TestServer.Response refused = api.post("/api/tasks/" + taskId + "/retry", Map.of());

    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.text()).contains("Retry QA").contains("follows the lifecycle");
    assertThat(
            ok(api.get("/api/deployments?releaseId=" + release), 200).get("totalResults").asInt())
        .isEqualTo(1);

    // Once QA has it, the same retry is a new Production deployment.
    assertThat(state(api.deployAndWait(release, qa))).isEqualTo("Success");
    TestServer.Response retried = api.post("/api/tasks/" + taskId + "/retry", Map.of());
    assertThat(retried.status()).as(retried.text()).isEqualTo(201);
    api.server.awaitTask(ok(retried, 201).get("id").asText());
  }

  // ---- Live log stream ----

  record Event(String name, String id, String data) {}

  /** Reads /api/tasks/{id}/stream to its end, as an EventSource would. */
  static List<Event> stream(String taskId, Long lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.baseUri() + "/api/tasks/" + taskId + "/stream"))
            .header("X-Sepia-ApiKey", apiKey())
            .header("Accept", "text/event-stream")
            .GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", Long.toString(lastEventId));
    }
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<Event> events = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String name = null;
      String id = null;
      StringBuilder data = null;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(name == null ? "message" : name, id, data.toString()));
          }
          name = null;
          id = null;
          data = null;
        } else if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("id:")) {
          id = line.substring(3).strip();
        } else if (line.startsWith("data:")) {
          String value = line.substring(5);
          value = value.startsWith(" ") ? value.substring(1) : value;
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
      }
    }
    return events;
  }

  private static String apiKey;

  static synchronized String apiKey() {
    if (apiKey == null) {
      apiKey = api.newApiKey();
    }
    return apiKey;
  }

  @Test
  void stream_ofAFinishedTask_sendsEveryLogLineThenTheState_andResumesAfterLastEventId()
      throws Exception {
    String env = sshEnvironment("Stream");
    String project = api.projectOnlyFor("Stream project", env);
    api.process(project, "Count", "web", "for i in 1 2 3 4 5; do echo \"count $i\"; done");
    JsonNode deployment = api.deployAndWait(api.release(project), env);
    String taskId = deployment.get("taskId").asText();
    List<String> rawLines = api.rawLog(taskId).lines().toList();
    assertThat(rawLines).hasSizeGreaterThan(5);

    List<Event> events = stream(taskId, null);

    List<Event> lines = events.stream().filter(e -> e.name().equals("line")).toList();
    assertThat(lines).extracting(Event::data).containsExactlyElementsOf(rawLines);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i).id()).isEqualTo(Integer.toString(i + 1));
    }
    assertThat(events.getLast().name()).isEqualTo("state");
    assertThat(events.getLast().data()).contains("Success");
    assertThat(events.subList(0, events.size() - 1)).allMatch(e -> e.name().equals("line"));

    List<Event> resumed = stream(taskId, 3L);
    List<Event> resumedLines = resumed.stream().filter(e -> e.name().equals("line")).toList();
    assertThat(resumedLines)
        .extracting(Event::data)
        .containsExactlyElementsOf(rawLines.subList(3, rawLines.size()));
    assertThat(resumedLines.getFirst().id()).isEqualTo("4");
    assertThat(resumed.getLast().name()).isEqualTo("state");

    List<Event> nothingLeft = stream(taskId, (long) rawLines.size());
    assertThat(nothingLeft).extracting(Event::name).containsExactly("state");
  }

  @Test
  void stream_ofARunningTask_followsItToTheEnd() throws Exception {
    String env = sshEnvironment("Live");
    String project = api.projectOnlyFor("Live project", env);
    api.process(project, "Tick", "web", "for i in 1 2 3 4; do echo \"tick $i\"; sleep 0.3; done");
    JsonNode queued = ok(api.deploy(api.release(project), env), 201);
    String taskId = queued.get("taskId").asText();

    List<Event> events = stream(taskId, null);

    List<String> data =
        events.stream().filter(e -> e.name().equals("line")).map(Event::data).toList();
    assertThat(data).containsExactlyElementsOf(api.rawLog(taskId).lines().toList());
    assertThat(String.join("\n", data))
        .contains("[t-Live] tick 1")
        .contains("[t-Live] tick 4")
        .contains("Task finished successfully");
    assertThat(events.getLast().name()).isEqualTo("state");
    assertThat(events.getLast().data()).contains("Success");
  }

  @Test
  void stream_withABadLastEventId_is400() throws Exception {
    String env = api.environment("Bad stream");
    String project = api.projectOnlyFor("Bad stream project", env);
    api.process(project, "Say", "web", "echo ok");
    JsonNode queued = ok(api.deploy(api.release(project), env), 201);
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            api.baseUri()
                                + "/api/tasks/"
                                + queued.get("taskId").asText()
                                + "/stream"))
                    .header("X-Sepia-ApiKey", apiKey())
                    .header("Last-Event-ID", "yesterday")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
  }

  // ---- Release snapshots ----

  @Test
  void release_isFrozen_laterChangesToVariablesAndProcessDoNotChangeWhatItDeploys()
      throws Exception {
    Path proof = folder("frozen").resolve("secret.txt");
    String env = sshEnvironment("Frozen");
    String project = api.projectOnlyFor("Frozen project", env);
    api.variables(
        project,
        List.of(
            variable("Greeting", "version one", false),
            variable("Secret", "old-secret-value", true)));
    api.process(
        project,
        "Greet",
        "web",
        "echo \"greeting #{Greeting}\"\necho \"#{Secret}\" > '" + proof + "'");
    String first = api.release(project);

    api.variables(
        project,
        List.of(
            variable("Greeting", "version two", false),
            variable("Secret", "new-secret-value", true)));
    api.process(
        project,
        "Greet",
        "web",
        "echo \"changed #{Greeting}\"\necho \"#{Secret}\" > '" + proof + "'");

    JsonNode old = api.deployAndWait(first, env);
    String oldLog = api.rawLog(old.get("taskId").asText());
    assertThat(state(old)).as(oldLog).isEqualTo("Success");
    assertThat(oldLog).contains("[t-Frozen] greeting version one").doesNotContain("version two");
    assertThat(Files.readString(proof).strip()).isEqualTo("old-secret-value");
    JsonNode firstRelease = ok(api.get("/api/releases/" + first), 200);
    assertThat(firstRelease.get("steps").get(0).get("script").asText()).contains("greeting");
    assertThat(firstRelease.toString()).contains("version one").doesNotContain("old-secret-value");

    JsonNode fresh = api.deployAndWait(api.release(project), env);
    assertThat(api.rawLog(fresh.get("taskId").asText())).contains("[t-Frozen] changed version two");
    assertThat(Files.readString(proof).strip()).isEqualTo("new-secret-value");
  }

  // ---- Release versions ----

  static TestServer.Response release(String projectId, String version) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("projectId", projectId);
    if (version != null) {
      body.put("version", version);
    }
    return api.post("/api/releases", body);
  }

  @Test
  void releaseWithoutVersion_takesTheNextNumber_andAVersionIsUniquePerProject() {
    String env = api.environment("Versions");
    String project = api.projectOnlyFor("Versions project", env);
    api.process(project, "Say", "web", "echo ok");

    assertThat(ok(release(project, null), 201).get("version").asText()).isEqualTo("0.0.1");
    assertThat(ok(release(project, null), 201).get("version").asText()).isEqualTo("0.0.2");
    assertThat(ok(release(project, "1.0.0-beta9"), 201).get("version").asText())
        .isEqualTo("1.0.0-beta9");
    assertThat(ok(release(project, null), 201).get("version").asText()).isEqualTo("1.0.0-beta10");

    TestServer.Response duplicate = release(project, "0.0.2");
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.text()).contains("0.0.2");
    assertThat(release(project, "not a version").status()).isEqualTo(400);
  }

  /**
   * After 1.0.1 and then a hotfix 1.0.0 created explicitly, a release without a version takes the
   * next free one rather than repeating 1.0.1.
   */
  @Test
  void releaseWithoutVersion_afterAnOlderVersionWasCreatedExplicitly_takesAFreeVersion() {
    String env = api.environment("Hotfix");
    String project = api.projectOnlyFor("Hotfix project", env);
    api.process(project, "Say", "web", "echo ok");
    ok(release(project, "1.0.1"), 201);
    ok(release(project, "1.0.0"), 201);

    TestServer.Response next = release(project, null);

    assertThat(next.status()).as(next.text()).isEqualTo(201);
    assertThat(next.body().get("version").asText()).isEqualTo("1.0.2");
  }

  // ---- Masking ----

  @Test
  void valuesDerivedFromASecret_areMaskedInTheLog() throws Exception {
    String secret = "Mixed-Case-S3cret-" + UUID.randomUUID();
    String token = "step-token-" + UUID.randomUUID();
    String base64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    Path proof = folder("derived").resolve("values.txt");
    String env = sshEnvironment("Derived");
    String project = api.projectOnlyFor("Derived project", env);
    api.variables(
        project,
        List.of(
            variable("Secret", secret, true),
            variable("Connection", "Server=db;Password=#{Secret};Pool=5", false)));
    api.process(
        project,
        "Show",
        "web",
        "echo \"encoded #{Secret | Base64}\"\n"
            + "echo \"connection #{Connection}\"\n"
            + "echo \"lower #{Secret | ToLower}\"\n"
            + "echo \"token #{Parameters.Token}\"\n"
            + "printf '%s\\n' \"#{Secret | Base64}\" \"#{Connection}\" \"#{Parameters.Token}\" > '"
            + proof
            + "'\n",
        Map.of("Token", token));

    JsonNode deployment = api.deployAndWait(api.release(project), env);
    String log = api.rawLog(deployment.get("taskId").asText());

    assertThat(state(deployment)).as(log).isEqualTo("Success");
    // The script saw the real values...
    assertThat(Files.readAllLines(proof))
        .containsExactly(base64, "Server=db;Password=" + secret + ";Pool=5", token);
    // ...the log shows none of them.
    assertThat(log)
        .contains("[t-Derived] encoded ********")
        .contains("[t-Derived] connection ")
        .contains("[t-Derived] lower ")
        .contains("[t-Derived] token ********")
        .doesNotContain(token)
        .doesNotContain(secret)
        .doesNotContain(base64)
        .doesNotContain(secret.toLowerCase(Locale.ROOT));
    String connectionLine =
        log.lines().filter(l -> l.contains("[t-Derived] connection ")).findFirst().orElseThrow();
    assertThat(connectionLine).contains("********").doesNotContain(secret);
  }

  // ---- helpers ----

  static void awaitLog(String taskId, String text) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!api.rawLog(taskId).contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("The log of " + taskId + " never showed: " + text);
      }
      Thread.sleep(100);
    }
  }

  static void awaitFile(Path file) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(file) || Files.readString(file).isBlank()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " was never written");
      }
      Thread.sleep(100);
    }
  }

  /** Waits for a process to end; a zombie awaiting its parent counts as ended. */
  static void awaitGone(long pid) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (running(pid)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("The script's process " + pid + " was not stopped");
      }
      Thread.sleep(100);
    }
  }

  private static boolean running(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      String text = Files.readString(stat);
      char state = text.charAt(text.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
