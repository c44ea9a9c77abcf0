package dev.sepia.server.engine.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls a user makes to set up and run deployments, over a {@link TestServer}'s real API. Every
 * response body is kept, so a test can check that a secret was never sent back.
 */
final class SepiaApi implements AutoCloseable {
  final TestServer server;
  final Path home;
  final List<String> responses = new CopyOnWriteArrayList<>();

  private SepiaApi(TestServer server, Path home) {
    this.server = server;
    this.home = home;
  }

  static SepiaApi start(Path temp, String connectionString) {
    return new SepiaApi(TestServer.start(temp, connectionString), temp);
  }

  /** The address the server listens on, read back from its configuration file. */
  String baseUri() {
    try {
      String config = Files.readString(home.resolve("server.config.json"));
      Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)").matcher(config);
      assertThat(m.find()).as("web listen prefix in the configuration").isTrue();
      return "http://127.0.0.1:" + m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new API key of the administrator, for clients other than {@link TestServer}'s own. */
  String newApiKey() {
    String userId = ok(server.get("/api/users/me"), 200).get("id").asText();
    return ok(server.post("/api/users/" + userId + "/apikeys", Map.of("purpose", "stream")), 201)
        .get("apiKey")
        .asText();
  }

  TestServer.Response get(String path) {
    return keep(server.get(path));
  }

  TestServer.Response post(String path, Object body) {
    return keep(server.post(path, body));
  }

  TestServer.Response put(String path, Object body) {
    return keep(server.put(path, body));
  }

  private TestServer.Response keep(TestServer.Response response) {
    responses.add(response.text() == null ? "" : response.text());
    return response;
  }

  static JsonNode ok(TestServer.Response response, int status) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    return response.body();
  }

  String environment(String name) {
    return ok(post("/api/environments", Map.of("name", name)), 201).get("id").asText();
  }

  String lifecycle(String name, Map<String, List<String>> phases) {
    List<Map<String, Object>> list = new ArrayList<>();
    phases.forEach((phase, ids) -> list.add(Map.of("name", phase, "environmentIds", ids)));
    return ok(post("/api/lifecycles", Map.of("name", name, "phases", list)), 201)
        .get("id")
        .asText();
  }

  String passwordAccount(String name, String username, String password) {
    return ok(
            post(
                "/api/accounts",
                Map.of(
                    "name",
                    name,
                    "kind",
                    "UsernamePassword",
                    "username",
                    username,
                    "password",
                    password)),
            201)
        .get("id")
        .asText();
  }

  String keyPairAccount(String name, String username, String privateKey, String passphrase) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("kind", "SshKeyPair");
    body.put("username", username);
    body.put("privateKey", privateKey);
    if (passphrase != null) {
      body.put("passphrase", passphrase);
    }
    return ok(post("/api/accounts", body), 201).get("id").asText();
  }

  String sshTarget(
      String name, String environment, String role, int port, String fingerprint, String account) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("communicationStyle", "Ssh");
    body.put("environments", List.of(environment));
    body.put("roles", List.of(role));
    body.put(
        "ssh",
        Map.of(
            "host",
            "127.0.0.1",
            "port",
            port,
            "hostKeyFingerprint",
            fingerprint,
            "accountId",
            account));
    return ok(post("/api/machines", body), 201).get("id").asText();
  }

  String dropTarget(String name, String environment, String role, Path folder, String password) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("communicationStyle", "OfflineDrop");
    body.put("environments", List.of(environment));
    body.put("roles", List.of(role));
    body.put("offlineDrop", Map.of("folder", folder.toString(), "password", password));
    return ok(post("/api/machines", body), 201).get("id").asText();
  }

  String project(String name, String lifecycleId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    if (lifecycleId != null) {
      body.put("lifecycleId", lifecycleId);
    }
    return ok(post("/api/projects", body), 201).get("id").asText();
  }

  /** A project whose lifecycle has one phase with just this environment. */
  String projectOnlyFor(String name, String environmentId) {
    return project(name, lifecycle("Lifecycle of " + name, Map.of("Only", List.of(environmentId))));
  }

  /** A variable for {@link #variables}: name, value, sensitive. */
  static Map<String, Object> variable(String name, String value, boolean sensitive) {
    return Map.of("name", name, "value", value, "isSensitive", sensitive);
  }

  void variables(String projectId, List<Map<String, Object>> variables) {
    ok(put("/api/projects/" + projectId + "/variables", Map.of("variables", variables)), 200);
  }

  /** A one-step process: a script on targets with {@code role}. */
  void process(String projectId, String stepName, String role, String script) {
    process(projectId, stepName, role, script, Map.of());
  }

  void process(
      String projectId,
      String stepName,
      String role,
      String script,
      Map<String, String> sensitiveParameters) {
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("name", stepName);
    step.put("targetRoles", List.of(role));
    step.put("script", script);
    step.put("sensitiveParameters", sensitiveParameters);
    ok(put("/api/projects/" + projectId + "/process", Map.of("steps", List.of(step))), 200);
  }

  String release(String projectId) {
    return ok(post("/api/releases", Map.of("projectId", projectId)), 201).get("id").asText();
  }

  TestServer.Response deploy(String releaseId, String environmentId) {
    return post("/api/deployments", Map.of("releaseId", releaseId, "environmentId", environmentId));
  }

  /** Queues a deployment, waits for it to finish, and returns the deployment with its task. */
  JsonNode deployAndWait(String releaseId, String environmentId) {
    JsonNode queued = ok(deploy(releaseId, environmentId), 201);
    return awaitDeployment(queued.get("id").asText());
  }

  JsonNode awaitDeployment(String deploymentId) {
    JsonNode deployment = ok(get("/api/deployments/" + deploymentId), 200);
    server.awaitTask(deployment.get("taskId").asText());
    return ok(get("/api/deployments/" + deploymentId), 200);
  }

  String rawLog(String taskId) {
    TestServer.Response response = get("/api/tasks/" + taskId + "/raw");
    assertThat(response.status()).isEqualTo(200);
    return response.text();
  }

  /** Queues a health check of one target, waits for it, and returns the target. */
  JsonNode healthCheck(String machineId) {
    JsonNode task =
        ok(
            post(
                "/api/tasks",
                Map.of("name", "Health", "arguments", Map.of("machineIds", List.of(machineId)))),
            201);
    server.awaitTask(task.get("id").asText());
    return ok(get("/api/machines/" + machineId), 200);
  }

  @Override
  public void close() {
    server.close();
  }
}
