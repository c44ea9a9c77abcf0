package dev.sepia.server.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.model.machines.MachineStore.MachineSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentsApiTest {
  @TempDir Path temp;
  ConfigurationApiServer server;

  @BeforeEach
  void start() {
    server = ConfigurationApiServer.start(temp);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void environments_areCreatedInOrder_listedPagedAndFiltered_updatedAndDeleted() {
    String test = server.create("/api/environments", Map.of("name", "Test"));
    String production =
        server.create("/api/environments", Map.of("name", "Production", "description", "live"));
    assertThat(server.lastAudit()).isEqualTo("Added environment 'Production'");
    server.create("/api/environments", Map.of("name", "Dev", "sortOrder", -1));

    var list = server.get("/api/environments");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.at("/totalResults").asInt()).isEqualTo(3);
    assertThat(list.at("/items/0/name").asText()).isEqualTo("Dev");
    assertThat(list.at("/items/1/name").asText()).isEqualTo("Test");
    assertThat(list.at("/items/2/sortOrder").asInt()).isEqualTo(1);
    var filtered = server.get("/api/environments?name=PROD&skip=0&take=1");
    assertThat(filtered.at("/totalResults").asInt()).isEqualTo(1);
    assertThat(filtered.at("/items/0/id").asText()).isEqualTo(production);
    assertThat(filtered.at("/take").asInt()).isEqualTo(1);

    var renamed =
        server.put("/api/environments/" + test, Map.of("name", "Staging", "sortOrder", 5));
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.at("/name").asText()).isEqualTo("Staging");
    assertThat(server.get("/api/environments/" + test).at("/sortOrder").asInt()).isEqualTo(5);
    assertThat(server.lastAudit()).contains("Renamed environment 'Test' to 'Staging'");

    assertThat(server.delete("/api/environments/" + test).status()).isEqualTo(204);
    assertThat(server.lastAudit()).isEqualTo("Deleted environment 'Staging'");
    assertThat(server.get("/api/environments/" + test).status()).isEqualTo(404);
  }

  @Test
  void badOrDuplicateEnvironment_isRefused_andNothingChanges() {
    var bad = server.post("/api/environments", Map.of("name", "  "));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.at("/details/0").asText()).startsWith("name:");
    assertThat(server.post("/api/environments", "not json").status()).isEqualTo(400);
    server.create("/api/environments", Map.of("name", "Test"));
    var duplicate = server.post("/api/environments", Map.of("name", "TEST"));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.at("/error").asText()).contains("already exists");
    assertThat(server.get("/api/environments").at("/totalResults").asInt()).isEqualTo(1);
  }

  @Test
  void unknownEnvironment_is404() {
    assertThat(server.get("/api/environments/Environments-nope").status()).isEqualTo(404);
    assertThat(server.put("/api/environments/Environments-nope", Map.of("name", "X")).status())
        .isEqualTo(404);
    assertThat(server.delete("/api/environments/Environments-nope").status()).isEqualTo(404);
  }

  @Test
  void viewer_readsButCannotChange() {
    server.create("/api/environments", Map.of("name", "Test"));
    assertThat(server.viewerGet("/api/environments").at("/totalResults").asInt()).isEqualTo(1);
    assertThat(server.viewerPost("/api/environments", Map.of("name", "Other")).status())
        .isEqualTo(403);
  }

  @Test
  void renamingAnEnvironment_renamesItOnItsTargets() {
    String test = server.create("/api/environments", Map.of("name", "Test"));
    server
        .jdbi()
        .useTransaction(
            h ->
                MachineStore.insert(
                    h,
                    new MachineSpec(
                        "web01",
                        "A".repeat(64),
                        CommunicationStyle.TentacleActive,
                        null,
                        List.of("test", "Other"),
                        List.of("web"))));
    server.put("/api/environments/" + test, Map.of("name", "QA"));
    assertThat(new MachineStore(server.jdbi()).all().get(0).environments())
        .containsExactly("QA", "Other");
  }

  @Test
  void environmentInUse_isNotDeleted_andTheRefusalNamesEveryUse() {
    String test = server.create("/api/environments", Map.of("name", "Test"));
    String lifecycle =
        server.create(
            "/api/lifecycles",
            Map.of(
                "name",
                "Standard",
                "phases",
                List.of(Map.of("name", "QA", "environmentIds", List.of(test)))));
    String project = server.create("/api/projects", Map.of("name", "Shop"));
    server.put(
        "/api/projects/" + project + "/variables",
        Map.of(
            "variables",
            List.of(
                Map.of(
                    "name", "Url", "value", "x", "scope", Map.of("environments", List.of(test))))));
    server
        .jdbi()
        .useTransaction(
            h -> {
              MachineStore.insert(
                  h,
                  new MachineSpec(
                      "web01",
                      "B".repeat(64),
                      CommunicationStyle.TentacleActive,
                      null,
                      List.of("Test"),
                      List.of("web")));
              h.execute(
                  "INSERT INTO releases (id, project_id, version, snapshot, created_by,"
                      + " created_at) VALUES ('Releases-1', ?, '1.0.0', '{}', 'admin', ?)",
                  project,
                  Instant.now());
              h.execute(
                  "INSERT INTO deployments (id, release_id, project_id, environment_id, task_id,"
                      + " created_by, created_at) VALUES ('Deployments-1', 'Releases-1', ?, ?,"
                      + " 'ServerTasks-1', 'admin', ?)",
                  project,
                  test,
                  Instant.now());
            });

    var refused = server.delete("/api/environments/" + test);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.at("/error").asText()).contains("'Test' is in use");
    assertThat(refused.at("/details").toString())
        .contains("lifecycle 'Standard' (phase 'QA')")
        .contains("1 variable(s) of project 'Shop'")
        .contains("target 'web01'")
        .contains("1 deployment(s)");
    assertThat(server.get("/api/environments/" + test).status()).isEqualTo(200);

    // Each reference on its own is enough to refuse.
    server
        .jdbi()
        .useTransaction(
            h -> {
              h.execute("DELETE FROM deployments");
              h.execute("DELETE FROM machines");
            });
    server.put("/api/projects/" + project + "/variables", Map.of("variables", List.of()));
    var lifecycleOnly = server.delete("/api/environments/" + test);
    assertThat(lifecycleOnly.status()).isEqualTo(409);
    assertThat(lifecycleOnly.at("/details").size()).isEqualTo(1);
    assertThat(server.delete("/api/lifecycles/" + lifecycle).status()).isEqualTo(204);
    assertThat(server.delete("/api/environments/" + test).status()).isEqualTo(204);
  }
}
