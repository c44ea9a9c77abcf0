package dev.sepia.server.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecyclesApiTest {
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
  void defaultLifecycle_hasEveryEnvironmentAsAPhase_inEnvironmentOrder() {
    String production =
        server.create("/api/environments", Map.of("name", "Production", "sortOrder", 20));
    String test = server.create("/api/environments", Map.of("name", "Test", "sortOrder", 10));

    var standard = server.get("/api/lifecycles/Lifecycles-default");
    assertThat(standard.status()).isEqualTo(200);
    assertThat(standard.at("/isDefault").asBoolean()).isTrue();
    assertThat(standard.at("/phases/0/name").asText()).isEqualTo("Test");
    assertThat(standard.at("/phases/0/environmentIds/0").asText()).isEqualTo(test);
    assertThat(standard.at("/phases/1/environments/0/name").asText()).isEqualTo("Production");

    server.put("/api/environments/" + production, Map.of("name", "Production", "sortOrder", 1));
    var reordered = server.get("/api/lifecycles/Lifecycles-default");
    assertThat(reordered.at("/phases/0/environmentIds/0").asText()).isEqualTo(production);
    assertThat(reordered.at("/phases/1/name").asText()).isEqualTo("Test");
  }

  @Test
  void lifecycle_withPhases_isCreatedShownUpdatedAndDeleted() {
    String test = server.create("/api/environments", Map.of("name", "Test"));
    String production = server.create("/api/environments", Map.of("name", "Production"));
    String id =
        server.create(
            "/api/lifecycles",
            Map.of(
                "name",
                "Standard",
                "description",
                "two phases",
                "phases",
                List.of(
                    Map.of("name", "QA", "environmentIds", List.of(test)),
                    Map.of("name", "Live", "environmentIds", List.of(production)))));
    assertThat(server.lastAudit()).isEqualTo("Added lifecycle 'Standard' (2 phases)");
    var shown = server.get("/api/lifecycles/" + id);
    assertThat(shown.at("/isDefault").asBoolean()).isFalse();
    assertThat(shown.at("/phases/1/name").asText()).isEqualTo("Live");
    assertThat(shown.at("/phases/1/environments/0/name").asText()).isEqualTo("Production");
    assertThat(server.get("/api/lifecycles?name=stand").at("/totalResults").asInt()).isEqualTo(1);
    assertThat(server.get("/api/lifecycles").at("/totalResults").asInt()).isEqualTo(2);

    var updated =
        server.put(
            "/api/lifecycles/" + id,
            Map.of(
                "name",
                "Standard",
                "phases",
                List.of(Map.of("name", "All", "environmentIds", List.of(production, test)))));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.at("/phases").size()).isEqualTo(1);
    assertThat(updated.at("/phases/0/environmentIds").size()).isEqualTo(2);

    assertThat(server.delete("/api/lifecycles/" + id).status()).isEqualTo(204);
    assertThat(server.get("/api/lifecycles/" + id).status()).isEqualTo(404);
  }

  @Test
  void badPhases_areRefusedWithEveryProblem_andNothingIsCreated() {
    String test = server.create("/api/environments", Map.of("name", "Test"));
    var unknown =
        server.post(
            "/api/lifecycles",
            Map.of(
                "name",
                "Broken",
                "phases",
                List.of(
                    Map.of("name", "QA", "environmentIds", List.of(test, "Environments-gone")),
                    Map.of("name", "qa", "environmentIds", List.of(test, "Environments-lost")))));
    assertThat(unknown.status()).isEqualTo(400);
    String details = unknown.at("/details").toString();
    assertThat(details)
        .contains("unknown environment ids: Environments-gone, Environments-lost")
        .contains("already in an earlier phase")
        .contains("another phase is already named");
    var none = server.post("/api/lifecycles", Map.of("name", "Empty", "phases", List.of()));
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.at("/details/0").asText()).contains("at least one phase");
    assertThat(server.get("/api/lifecycles").at("/totalResults").asInt()).isEqualTo(1);
  }

  @Test
  void defaultLifecycle_canBeRenamedButNotGivenPhasesOrDeleted() {
    String test = server.create("/api/environments", Map.of("name", "Test"));
    var phased =
        server.put(
            "/api/lifecycles/Lifecycles-default",
            Map.of(
                "name",
                "Default",
                "phases",
                List.of(Map.of("name", "QA", "environmentIds", List.of(test)))));
    assertThat(phased.status()).isEqualTo(400);
    var renamed = server.put("/api/lifecycles/Lifecycles-default", Map.of("name", "Everything"));
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.at("/name").asText()).isEqualTo("Everything");
    assertThat(renamed.at("/phases/0/name").asText()).isEqualTo("Test");
    var refused = server.delete("/api/lifecycles/Lifecycles-default");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.at("/error").asText()).contains("default lifecycle");
  }

  @Test
  void lifecycleUsedByAProject_isNotDeleted() {
    String test = server.create("/api/environments", Map.of("name", "Test"));
    String id =
        server.create(
            "/api/lifecycles",
            Map.of(
                "name",
                "Short",
                "phases",
                List.of(Map.of("name", "QA", "environmentIds", List.of(test)))));
    server.create("/api/projects", Map.of("name", "Shop", "lifecycleId", id));
    var refused = server.delete("/api/lifecycles/" + id);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.at("/details/0").asText()).isEqualTo("project 'Shop'");
    assertThat(server.get("/api/lifecycles/" + id).status()).isEqualTo(200);
    assertThat(server.delete("/api/lifecycles/Lifecycles-nope").status()).isEqualTo(404);
  }
}
