package dev.sepia.server.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.TestServer;
import dev.sepia.server.model.recovery.SimulatedRecovery;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /api/recovery/cleared-values and /runs on a server whose database looks as lost-master-key
 * leaves it: the values to re-enter, each with its owner and where to enter it, gone from the list
 * as soon as it is set again through the ordinary API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryApiTest {
  static final String REPORT = "/var/lib/sepia/Reports/lost-master-key-20250131-093000.md";
  @TempDir static Path temp;
  static String connectionString;
  static TestServer server;
  static String projectId;
  static String variableId;
  static String accountId;
  static String viewerKey;

  @BeforeAll
  static void start() {
    connectionString = TestDatabases.emptyDatabase(DatabaseKind.H2, temp);
    server = TestServer.start(temp, connectionString);
    TestServer.Response project = server.post("/api/projects", Map.of("name", "Shop"));
    assertThat(project.status()).as(project.text()).isEqualTo(201);
    projectId = project.body().get("id").asText();
    TestServer.Response variables =
        server.put(
            "/api/projects/" + projectId + "/variables",
            Map.of(
                "variables",
                List.of(
                    Map.of("name", "DbPassword", "value", "s3cret", "isSensitive", true),
                    Map.of("name", "Greeting", "value", "hello", "isSensitive", false))));
    assertThat(variables.status()).as(variables.text()).isEqualTo(200);
    variableId = variableNamed("DbPassword").get("id").asText();
    TestServer.Response account =
        server.post(
            "/api/accounts",
            Map.of(
                "name", "Deployer",
                "kind", "UsernamePassword",
                "username", "deploy",
                "password", "pa55word"));
    assertThat(account.status()).as(account.text()).isEqualTo(201);
    accountId = account.body().get("id").asText();
    TestServer.Response vera =
        server.post(
            "/api/users",
            Map.of("username", "vera", "password", "viewer-password", "role", "Viewer"));
    assertThat(vera.status()).as(vera.text()).isEqualTo(201);
    TestServer.Response key =
        server.post(
            "/api/users/" + vera.body().get("id").asText() + "/apikeys",
            Map.of("purpose", "recovery tests"));
    assertThat(key.status()).as(key.text()).isEqualTo(201);
    viewerKey = key.body().get("apiKey").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode variableNamed(String name) {
    for (JsonNode v :
        server.get("/api/projects/" + projectId + "/variables").body().get("variables")) {
      if (v.get("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no variable " + name);
  }

  @Test
  @Order(1)
  void aHealthyServer_hasNothingToReEnterAndNoRuns() {
    JsonNode values = server.get("/api/recovery/cleared-values").body();
    assertThat(values.get("totalResults").asInt()).isZero();
    assertThat(values.get("items")).isEmpty();
    assertThat(values.get("countsByKind").size()).isZero();
    assertThat(server.get("/api/recovery/runs").body().get("totalResults").asInt()).isZero();
  }

  @Test
  @Order(2)
  void afterARecovery_eachClearedValueIsListedWithItsOwnerAndWhereToEnterIt() {
    try (SimulatedRecovery recovery = SimulatedRecovery.open(connectionString)) {
      String run = recovery.run(Instant.parse("2025-01-31T09:30:00Z"), "AB12", REPORT, true);
      recovery.clear(
          run,
          EncryptedFieldCatalogue.SENSITIVE_VARIABLE,
          variableId,
          "Sensitive variable DbPassword in project Shop",
          "/projects/" + projectId + "/variables");
      recovery.clear(
          run,
          EncryptedFieldCatalogue.ACCOUNT_PASSWORD,
          accountId,
          "Account Deployer: password",
          "/infrastructure/accounts/" + accountId);
      // An entry that names a column outside the catalogue is never listed, whatever it holds.
      recovery.entry(
          run, "users", "password_hash", "Users-x", "User", "Not a catalogued value", null);
    }

    TestServer.Response response = server.get("/api/recovery/cleared-values");
    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.body();
    assertThat(body.get("totalResults").asInt()).isEqualTo(2);
    Map<String, JsonNode> byKind = new HashMap<>();
    body.get("items").forEach(item -> byKind.put(item.get("kind").asText(), item));
    assertThat(byKind).containsOnlyKeys("Sensitive variable", "Account");
    JsonNode variable = byKind.get("Sensitive variable");
    assertThat(variable.get("owner").asText())
        .isEqualTo("Sensitive variable DbPassword in project Shop");
    assertThat(variable.get("link").asText()).isEqualTo("/projects/" + projectId + "/variables");
    assertThat(variable.get("recoveryId").asText()).startsWith("Recoveries-");
    assertThat(Instant.parse(variable.get("clearedAt").asText())).isNotNull();
    assertThat(byKind.get("Account").get("link").asText())
        .isEqualTo("/infrastructure/accounts/" + accountId);
    assertThat(body.get("countsByKind").get("Account").asInt()).isEqualTo(1);
    assertThat(body.get("countsByKind").get("Sensitive variable").asInt()).isEqualTo(1);
    assertThat(body.toString()).doesNotContain("s3cret").doesNotContain("pa55word");
  }

  @Test
  @Order(3)
  void theRunsSayWhenWhoTheNewThumbprintAndTheReport() {
    JsonNode runs = server.get("/api/recovery/runs").body();
    assertThat(runs.get("totalResults").asInt()).isEqualTo(1);
    JsonNode run = runs.get("items").get(0);
    assertThat(run.get("startedAt").asText()).isEqualTo("2025-01-31T09:30:00Z");
    assertThat(run.get("completedAt").asText()).isEqualTo("2025-01-31T09:30:42Z");
    assertThat(run.get("startedBy").asText()).isEqualTo("root");
    assertThat(run.get("newThumbprint").asText()).isEqualTo("AB12");
    assertThat(run.get("clearedCount").asInt()).isEqualTo(2);
    assertThat(run.get("reportPath").asText()).isEqualTo(REPORT);
  }

  @Test
  @Order(4)
  void theKindFilter_takesOneKindInAnyCase_andCountsStillCoverEveryKind() {
    JsonNode accounts = server.get("/api/recovery/cleared-values?kind=account").body();
    assertThat(accounts.get("totalResults").asInt()).isEqualTo(1);
    assertThat(accounts.get("items")).hasSize(1);
    assertThat(accounts.get("items").get(0).get("kind").asText()).isEqualTo("Account");
    assertThat(accounts.get("countsByKind").size()).isEqualTo(2);
    JsonNode none = server.get("/api/recovery/cleared-values?kind=Certificate").body();
    assertThat(none.get("totalResults").asInt()).isZero();
    assertThat(none.get("items")).isEmpty();
  }

  @Test
  @Order(5)
  void paging_takesSkipAndTake() {
    JsonNode first = server.get("/api/recovery/cleared-values?take=1").body();
    JsonNode second = server.get("/api/recovery/cleared-values?skip=1&take=1").body();
    assertThat(first.get("items")).hasSize(1);
    assertThat(second.get("items")).hasSize(1);
    assertThat(first.get("totalResults").asInt()).isEqualTo(2);
    assertThat(first.get("items").get(0).get("id"))
        .isNotEqualTo(second.get("items").get(0).get("id"));
    assertThat(server.get("/api/recovery/cleared-values?take=0").status()).isEqualTo(400);
  }

  @Test
  @Order(6)
  void aViewerCanRead_andAnonymousCallersAreRefused() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/api/recovery/cleared-values", "/api/recovery/runs")) {
      HttpResponse<String> viewer =
          http.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                  .header("X-Sepia-ApiKey", viewerKey)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(viewer.statusCode()).as(path + " as a Viewer").isEqualTo(200);
      assertThat(viewer.body()).contains("\"totalResults\":");
      HttpResponse<String> anonymous =
          http.send(
              HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).as(path + " without credentials").isEqualTo(401);
    }
  }

  @Test
  @Order(7)
  void keepingTheEmptyValue_keepsTheEntry_butSettingItThroughTheApi_endsIt() {
    List<Map<String, Object>> kept = new ArrayList<>();
    for (JsonNode v :
        server.get("/api/projects/" + projectId + "/variables").body().get("variables")) {
      Map<String, Object> item = new HashMap<>();
      item.put("id", v.get("id").asText());
      item.put("name", v.get("name").asText());
      item.put("isSensitive", v.get("isSensitive").asBoolean());
      item.put("value", v.get("isSensitive").asBoolean() ? null : v.get("value").asText());
      kept.add(item);
    }
    TestServer.Response unchanged =
        server.put("/api/projects/" + projectId + "/variables", Map.of("variables", kept));
    assertThat(unchanged.status()).as(unchanged.text()).isEqualTo(200);
    assertThat(server.get("/api/recovery/cleared-values").body().get("totalResults").asInt())
        .as("saving the variables without a new value leaves it to re-enter")
        .isEqualTo(2);

    kept.stream()
        .filter(v -> v.get("name").equals("DbPassword"))
        .forEach(v -> v.put("value", "new-s3cret"));
    TestServer.Response reentered =
        server.put("/api/projects/" + projectId + "/variables", Map.of("variables", kept));
    assertThat(reentered.status()).as(reentered.text()).isEqualTo(200);
    assertThat(variableNamed("DbPassword").get("id").asText()).isEqualTo(variableId);

    JsonNode left = server.get("/api/recovery/cleared-values").body();
    assertThat(left.get("totalResults").asInt()).isEqualTo(1);
    assertThat(left.get("items").get(0).get("kind").asText()).isEqualTo("Account");
    assertThat(left.get("countsByKind").has("Sensitive variable")).isFalse();

    TestServer.Response account =
        server.put(
            "/api/accounts/" + accountId,
            Map.of(
                "name", "Deployer",
                "kind", "UsernamePassword",
                "username", "deploy",
                "password", "new-pa55word"));
    assertThat(account.status()).as(account.text()).isEqualTo(200);
    assertThat(server.get("/api/recovery/cleared-values").body().get("totalResults").asInt())
        .isZero();
    assertThat(server.get("/api/recovery/runs").body().get("totalResults").asInt())
        .as("the run itself stays on record")
        .isEqualTo(1);
  }
}
