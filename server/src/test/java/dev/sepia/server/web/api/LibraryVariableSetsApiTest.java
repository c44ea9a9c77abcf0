package dev.sepia.server.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryVariableSetsApiTest {
  @TempDir Path temp;
  ConfigurationApiServer server;
  final String secret = "marker-" + UUID.randomUUID();

  @BeforeEach
  void start() {
    server = ConfigurationApiServer.start(temp);
    server.secret(secret);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void librarySet_isCreatedListedUpdatedAndDeletedWithItsVariables() {
    String id =
        server.create("/api/libraryvariablesets", Map.of("name", "Common", "description", "all"));
    assertThat(server.lastAudit()).isEqualTo("Added library variable set 'Common'");
    server.create("/api/libraryvariablesets", Map.of("name", "Mail"));
    var page = server.get("/api/libraryvariablesets?name=comm");
    assertThat(page.at("/totalResults").asInt()).isEqualTo(1);
    assertThat(page.at("/items/0/description").asText()).isEqualTo("all");
    var updated = server.put("/api/libraryvariablesets/" + id, Map.of("name", "Shared"));
    assertThat(updated.at("/name").asText()).isEqualTo("Shared");
    assertThat(updated.at("/description").isNull()).isTrue();

    var saved =
        server.put(
            "/api/libraryvariablesets/" + id + "/variables",
            Map.of(
                "variables",
                List.of(
                    ProjectsApiTest.variable(null, "SmtpPassword", secret, true, List.of()),
                    ProjectsApiTest.variable(null, "SmtpHost", "mail", false, List.of()))));
    assertThat(saved.status()).as(saved.text()).isEqualTo(200);
    assertThat(saved.at("/variables/0/isSet").asBoolean()).isTrue();
    assertThat(server.lastAudit())
        .isEqualTo("Changed variables of library variable set 'Shared' (2 variables, 1 sensitive)");
    assertThat(
            server
                .viewerGet("/api/libraryvariablesets/" + id + "/variables")
                .at("/variables")
                .size())
        .isEqualTo(2);

    assertThat(server.delete("/api/libraryvariablesets/" + id).status()).isEqualTo(204);
    assertThat(server.get("/api/libraryvariablesets/" + id).status()).isEqualTo(404);
    int variables =
        server
            .jdbi()
            .withHandle(
                h -> h.createQuery("SELECT COUNT(*) FROM variables").mapTo(Integer.class).one());
    assertThat(variables).isZero();
  }

  @Test
  void badInput_unknownSets_andSetsInUse_areRefused() {
    assertThat(server.post("/api/libraryvariablesets", Map.of("name", "")).status()).isEqualTo(400);
    assertThat(server.get("/api/libraryvariablesets/LibraryVariableSets-nope").status())
        .isEqualTo(404);
    assertThat(
            server
                .put(
                    "/api/libraryvariablesets/LibraryVariableSets-nope/variables",
                    Map.of("variables", List.of()))
                .status())
        .isEqualTo(404);
    String id = server.create("/api/libraryvariablesets", Map.of("name", "Common"));
    assertThat(server.post("/api/libraryvariablesets", Map.of("name", "common")).status())
        .isEqualTo(409);
    var bad =
        server.put(
            "/api/libraryvariablesets/" + id + "/variables",
            Map.of(
                "variables",
                List.of(ProjectsApiTest.variable(null, "Secret", null, true, List.of()))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.at("/error").asText()).contains("library variable set 'Common'");

    server.create("/api/projects", Map.of("name", "Shop", "libraryVariableSetIds", List.of(id)));
    var refused = server.delete("/api/libraryvariablesets/" + id);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.at("/details/0").asText()).isEqualTo("project 'Shop'");
    assertThat(server.viewerPost("/api/libraryvariablesets", Map.of("name", "X")).status())
        .isEqualTo(403);
  }
}
