package dev.sepia.server.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.model.projects.ProcessStore;
import dev.sepia.server.model.variables.StoredVariable;
import dev.sepia.server.model.variables.VariableStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectsApiTest {
  @TempDir Path temp;
  ConfigurationApiServer server;
  final String secret = "marker-" + UUID.randomUUID();
  final String otherSecret = "marker-" + UUID.randomUUID();

  @BeforeEach
  void start() {
    server = ConfigurationApiServer.start(temp);
    server.secret(secret);
    server.secret(otherSecret);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void project_getsTheDefaultLifecycle_andIsListedUpdatedAndDeleted() {
    String set = server.create("/api/libraryvariablesets", Map.of("name", "Common"));
    String id = server.create("/api/projects", Map.of("name", "Shop", "description", "web shop"));
    var shop = server.get("/api/projects/" + id);
    assertThat(shop.at("/lifecycleId").asText()).isEqualTo("Lifecycles-default");
    assertThat(shop.at("/libraryVariableSetIds").size()).isZero();
    assertThat(server.lastAudit()).isEqualTo("Added project 'Shop'");
    server.create("/api/projects", Map.of("name", "Blog"));
    var page = server.get("/api/projects?name=SHO");
    assertThat(page.at("/totalResults").asInt()).isEqualTo(1);
    assertThat(page.at("/items/0/id").asText()).isEqualTo(id);

    var updated =
        server.put(
            "/api/projects/" + id, Map.of("name", "Shop", "libraryVariableSetIds", List.of(set)));
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.at("/libraryVariableSetIds/0").asText()).isEqualTo(set);
    assertThat(server.post("/api/projects", Map.of("name", "SHOP")).status()).isEqualTo(409);
  }

  @Test
  void badProject_isRefusedListingUnknownIds_andNothingIsCreated() {
    var bad =
        server.post(
            "/api/projects",
            Map.of(
                "name",
                "Shop",
                "lifecycleId",
                "Lifecycles-gone",
                "libraryVariableSetIds",
                List.of("LibraryVariableSets-a", "LibraryVariableSets-b")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.at("/details").toString())
        .contains("no lifecycle with id Lifecycles-gone")
        .contains("LibraryVariableSets-a, LibraryVariableSets-b");
    assertThat(server.get("/api/projects").at("/totalResults").asInt()).isZero();
    assertThat(server.get("/api/projects/Projects-nope").status()).isEqualTo(404);
    assertThat(server.get("/api/projects/Projects-nope/process").status()).isEqualTo(404);
    assertThat(server.get("/api/projects/Projects-nope/variables").status()).isEqualTo(404);
    assertThat(server.delete("/api/projects/Projects-nope").status()).isEqualTo(404);
  }

  @Test
  void process_isReplacedWhole_andSensitiveParametersAreWriteOnly() throws Exception {
    String id = server.create("/api/projects", Map.of("name", "Shop"));
    var saved =
        server.put(
            "/api/projects/" + id + "/process",
            Map.of(
                "steps",
                List.of(
                    step(null, "Stop", Map.of()),
                    step(null, "Deploy", Map.of("Password", secret, "Token", otherSecret)))));
    assertThat(saved.status()).as(saved.text()).isEqualTo(200);
    assertThat(saved.at("/steps/1/sensitiveParameters/Password/isSet").asBoolean()).isTrue();
    assertThat(saved.at("/steps/1/parameters/Port").asText()).isEqualTo("8080");
    assertThat(saved.at("/steps/1/maxParallel").asInt()).isEqualTo(10);
    assertThat(saved.at("/steps/1/kind").asText()).isEqualTo("RunScript");
    assertThat(server.lastAudit())
        .isEqualTo("Changed the deployment process of project 'Shop' (2 steps)");
    String deployId = saved.at("/steps/1/id").asText();

    // Keep Password (null), drop Token (not listed), move Deploy first, drop Stop.
    Map<String, String> keep = new HashMap<>();
    keep.put("Password", null);
    var replaced =
        server.put(
            "/api/projects/" + id + "/process",
            Map.of("steps", List.of(step(deployId, "Deploy", keep), step(null, "Smoke", null))));
    assertThat(replaced.status()).as(replaced.text()).isEqualTo(200);
    JsonNode steps = server.get("/api/projects/" + id + "/process").at("/steps");
    assertThat(steps.size()).isEqualTo(2);
    assertThat(steps.get(0).get("id").asText()).isEqualTo(deployId);
    assertThat(steps.get(0).at("/sensitiveParameters").toString())
        .isEqualTo("{\"Password\":{\"isSet\":true}}");
    Map<String, String> opened;
    try (Handle h = server.jdbi().open()) {
      opened = ProcessStore.openSensitiveParameters(h, server.barrier(), deployId);
    }
    assertThat(opened).isEqualTo(Map.of("Password", secret));
    assertThat(server.viewerGet("/api/projects/" + id + "/process").status()).isEqualTo(200);
  }

  @Test
  void badProcess_isRefusedWithEveryProblem_andNothingChanges() {
    String id = server.create("/api/projects", Map.of("name", "Shop"));
    server.put(
        "/api/projects/" + id + "/process",
        Map.of("steps", List.of(step(null, "Deploy", Map.of("Password", secret)))));
    String before = server.get("/api/projects/" + id + "/process").text();

    Map<String, Object> noRoles = step(null, "deploy", null);
    noRoles.put("targetRoles", List.of());
    noRoles.put("script", " ");
    noRoles.put("maxParallel", 65);
    Map<String, String> keepUnknown = new HashMap<>();
    keepUnknown.put("Missing", null);
    var bad =
        server.put(
            "/api/projects/" + id + "/process",
            Map.of(
                "steps",
                List.of(
                    step(null, "Deploy", Map.of("Password", otherSecret)),
                    noRoles,
                    step(null, "Keep", keepUnknown),
                    step("DeploymentSteps-other", "Foreign", null))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.at("/details").toString())
        .contains("step names must be unique")
        .contains("at least one target role")
        .contains(".script: required")
        .contains("maxParallel: between 1 and 64")
        .contains("'Missing' has no stored value to keep")
        .contains("DeploymentSteps-other is not a step of this project");
    assertThat(server.get("/api/projects/" + id + "/process").text()).isEqualTo(before);

    List<Map<String, Object>> tooMany = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      tooMany.add(step(null, "Step " + i, null));
    }
    var tooLong = server.put("/api/projects/" + id + "/process", Map.of("steps", tooMany));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.at("/error").asText()).contains("at most 100 steps");
    assertThat(server.put("/api/projects/" + id + "/process", Map.of()).status()).isEqualTo(400);
  }

  @Test
  void variables_areReplacedWhole_sensitiveOnesStayWriteOnly_andKeptByTheirId() throws Exception {
    String test = server.create("/api/environments", Map.of("name", "Test"));
    String id = server.create("/api/projects", Map.of("name", "Shop"));
    var saved =
        server.put(
            "/api/projects/" + id + "/variables",
            Map.of(
                "variables",
                List.of(
                    variable(null, "Url", "https://shop", false, List.of(test)),
                    variable(null, "DbPassword", secret, true, List.of()),
                    variable(null, "Port", "80", false, List.of()))));
    assertThat(saved.status()).as(saved.text()).isEqualTo(200);
    assertThat(saved.at("/variables/0/value").asText()).isEqualTo("https://shop");
    assertThat(saved.at("/variables/0/scope/environments/0").asText()).isEqualTo(test);
    assertThat(saved.at("/variables/1/value").isNull()).isTrue();
    assertThat(saved.at("/variables/1/isSet").asBoolean()).isTrue();
    assertThat(saved.at("/variables/1/isSensitive").asBoolean()).isTrue();
    assertThat(server.lastAudit())
        .isEqualTo("Changed variables of project 'Shop' (3 variables, 1 sensitive)");
    String passwordId = saved.at("/variables/1/id").asText();
    String portId = saved.at("/variables/2/id").asText();

    // Kept by id without a value; the plain one made sensitive with a new value.
    var kept =
        server.put(
            "/api/projects/" + id + "/variables",
            Map.of(
                "variables",
                List.of(
                    variable(passwordId, "DbPassword", null, true, List.of()),
                    variable(portId, "Port", otherSecret, true, List.of()))));
    assertThat(kept.status()).as(kept.text()).isEqualTo(200);
    List<StoredVariable> stored = new VariableStore(server.jdbi()).list(id);
    assertThat(stored).extracting(StoredVariable::id).containsExactly(passwordId, portId);
    assertThat(VariableStore.open(server.barrier(), stored.get(0))).isEqualTo(secret);
    assertThat(VariableStore.open(server.barrier(), stored.get(1))).isEqualTo(otherSecret);
    assertThat(server.get("/api/projects/" + id + "/variables").at("/variables").size())
        .isEqualTo(2);
    assertThat(server.viewerGet("/api/projects/" + id + "/variables").status()).isEqualTo(200);
  }

  @Test
  void badVariables_areRefusedWithEveryProblem_andNothingChanges() {
    String id = server.create("/api/projects", Map.of("name", "Shop"));
    var saved =
        server.put(
            "/api/projects/" + id + "/variables",
            Map.of("variables", List.of(variable(null, "Port", "80", false, List.of()))));
    String portId = saved.at("/variables/0/id").asText();
    String before = server.get("/api/projects/" + id + "/variables").text();

    Map<String, Object> unknownMachine = variable(null, "Host", "h", false, List.of());
    unknownMachine.put("scope", Map.of("machines", List.of("Machines-gone")));
    var bad =
        server.put(
            "/api/projects/" + id + "/variables",
            Map.of(
                "variables",
                List.of(
                    variable(portId, "Port", null, true, List.of()),
                    variable(null, "NewSecret", null, true, List.of()),
                    variable(null, "Url", "x", false, List.of("Environments-gone")),
                    unknownMachine,
                    variable(null, "", "x", false, List.of()))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.at("/details").toString())
        .contains("making it sensitive needs a value")
        .contains("a new sensitive variable needs a value")
        .contains("unknown environment ids: Environments-gone")
        .contains("unknown target ids: Machines-gone")
        .contains(".name: required");
    assertThat(server.get("/api/projects/" + id + "/variables").text()).isEqualTo(before);
  }

  @Test
  void deletingAProject_removesItsProcessAndVariables() {
    String id = server.create("/api/projects", Map.of("name", "Shop"));
    server.put(
        "/api/projects/" + id + "/process",
        Map.of("steps", List.of(step(null, "Deploy", Map.of("Password", secret)))));
    server.put(
        "/api/projects/" + id + "/variables",
        Map.of("variables", List.of(variable(null, "DbPassword", secret, true, List.of()))));
    assertThat(server.delete("/api/projects/" + id).status()).isEqualTo(204);
    assertThat(server.lastAudit()).contains("Deleted project 'Shop'").doesNotContain(secret);
    int rows =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT (SELECT COUNT(*) FROM variables) + (SELECT COUNT(*) FROM"
                                + " deployment_steps) + (SELECT COUNT(*) FROM"
                                + " step_sensitive_parameters)")
                        .mapTo(Integer.class)
                        .one());
    assertThat(rows).isZero();
  }

  static Map<String, Object> step(String id, String name, Map<String, String> sensitive) {
    Map<String, Object> step = new LinkedHashMap<>();
    if (id != null) {
      step.put("id", id);
    }
    step.put("name", name);
    step.put("kind", "RunScript");
    step.put("targetRoles", List.of("web"));
    step.put("script", "echo deploying");
    step.put("parameters", Map.of("Port", "8080"));
    if (sensitive != null) {
      step.put("sensitiveParameters", sensitive);
    }
    return step;
  }

  static Map<String, Object> variable(
      String id, String name, String value, boolean sensitive, List<String> environments) {
    Map<String, Object> variable = new LinkedHashMap<>();
    if (id != null) {
      variable.put("id", id);
    }
    variable.put("name", name);
    variable.put("value", value);
    variable.put("isSensitive", sensitive);
    variable.put("scope", Map.of("environments", environments, "roles", List.of("web")));
    return variable;
  }
}
