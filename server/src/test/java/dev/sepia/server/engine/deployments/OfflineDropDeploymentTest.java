package dev.sepia.server.engine.deployments;

import static dev.sepia.server.engine.deployments.SepiaApi.ok;
import static dev.sepia.server.engine.deployments.SepiaApi.variable;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline drop targets through the API: a deployment writes a bundle into the target's folder, and
 * the bundle's deploy.sh, run as a process as an operator would, runs the step only with the
 * target's bundle password. The password is write-only: no response ever carries it.
 */
class OfflineDropDeploymentTest {
  static final String DROP_PASSWORD = "drop-Pa55-" + UUID.randomUUID();
  static final String DB_PASSWORD = "Db-S3cret-" + UUID.randomUUID();
  static final String API_KEY = "api-key-" + UUID.randomUUID();

  @TempDir static Path temp;
  static SepiaApi api;

  @BeforeAll
  static void start() {
    api =
        SepiaApi.start(temp.resolve("server"), TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  record Dropped(Path bundle, Path proof, String log, String targetId) {}

  /** Sets up a drop target and project, deploys, and returns the bundle written. */
  static Dropped deployToDrop(String name) throws IOException {
    Path drop = Files.createDirectories(temp.resolve("drops").resolve(name));
    Path proof = temp.resolve("work-" + name).resolve("proof.txt");
    Files.createDirectories(proof.getParent());
    String environment = api.environment("Env " + name);
    String targetId = api.dropTarget("drop-" + name, "Env " + name, "app", drop, DROP_PASSWORD);
    String project = api.projectOnlyFor("Project " + name, environment);
    api.variables(
        project,
        List.of(
            variable("Greeting", "hello " + name, false),
            variable("DbPassword", DB_PASSWORD, true)));
    api.process(
        project,
        "Install",
        "app",
        "echo \"#{Greeting}\" > '"
            + proof
            + "'\n"
            + "echo \"#{DbPassword}\" >> '"
            + proof
            + "'\n"
            + "echo \"#{Parameters.ApiKey}\" >> '"
            + proof
            + "'\n"
            + "echo \"installing with #{DbPassword} on #{Sepia.Machine.Name}\"\n",
        Map.of("ApiKey", API_KEY));
    JsonNode deployment = api.deployAndWait(api.release(project), environment);
    String log = api.rawLog(deployment.get("taskId").asText());
    assertThat(deployment.get("state").asText()).as(log).isEqualTo("Success");

    List<Path> bundles;
    try (Stream<Path> list = Files.list(drop)) {
      bundles = list.filter(Files::isDirectory).toList();
    }
    assertThat(bundles).as("bundle folders in " + drop).hasSize(1);
    return new Dropped(bundles.getFirst(), proof, log, targetId);
  }

  record Run(int exitCode, String output) {}

  static Run runDeploySh(Path bundle, String stdin, Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("bash", bundle.resolve("deploy.sh").toString())
            .directory(temp.toFile())
            .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.remove("SEPIA_BUNDLE_PASSWORD");
    env.remove("JAVA_HOME");
    Path javaBin = Path.of(System.getProperty("java.home"), "bin");
    env.put("PATH", javaBin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.putAll(environment);
    Process process = builder.start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), output);
  }

  @Test
  void deployment_writesABundle_thatRunsTheStepWithTheRightPassword() throws Exception {
    Dropped dropped = deployToDrop("right");

    assertThat(dropped.log())
        .contains("[drop-right] ")
        .contains(dropped.bundle().toString())
        .doesNotContain(DB_PASSWORD)
        .doesNotContain(API_KEY)
        .doesNotContain(DROP_PASSWORD);
    assertThat(dropped.bundle().resolve("deploy.sh")).exists();
    // Nothing ran on the server: the bundle waits for an operator.
    assertThat(dropped.proof()).doesNotExist();

    Run run = runDeploySh(dropped.bundle(), DROP_PASSWORD + "\n", Map.of());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(Files.readAllLines(dropped.proof()))
        .containsExactly("hello right", DB_PASSWORD, API_KEY);
    assertThat(run.output())
        .contains("installing with ******** on drop-right")
        .doesNotContain(DB_PASSWORD)
        .doesNotContain(DROP_PASSWORD);
  }

  @Test
  void bundle_passwordFromTheEnvironment_alsoOpensIt() throws Exception {
    Dropped dropped = deployToDrop("envpw");

    Run run = runDeploySh(dropped.bundle(), "", Map.of("SEPIA_BUNDLE_PASSWORD", DROP_PASSWORD));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(Files.readAllLines(dropped.proof())).contains(DB_PASSWORD);
  }

  @Test
  void bundle_withAWrongPassword_exitsWith3AndRunsNothing() throws Exception {
    Dropped dropped = deployToDrop("wrong");

    Run run = runDeploySh(dropped.bundle(), "not-the-drop-password\n", Map.of());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
    assertThat(dropped.proof()).doesNotExist();
    assertThat(run.output()).doesNotContain(DB_PASSWORD);
  }

  @Test
  void bundle_withNoPassword_failsAndRunsNothing() throws Exception {
    Dropped dropped = deployToDrop("none");

    Run run = runDeploySh(dropped.bundle(), "", Map.of());

    assertThat(run.exitCode()).as(run.output()).isNotZero();
    assertThat(dropped.proof()).doesNotExist();
  }

  @Test
  void bundle_holdsNoSensitiveValueInClearText() throws Exception {
    Dropped dropped = deployToDrop("sealed");

    List<Path> files;
    try (Stream<Path> walk = Files.walk(dropped.bundle())) {
      files =
          walk.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".jar")).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(text)
          .as(file.toString())
          .doesNotContain(DB_PASSWORD)
          .doesNotContain(API_KEY)
          .doesNotContain(DROP_PASSWORD);
    }
  }

  @Test
  void dropFolderThatDoesNotExist_failsTheDeploymentNamingTheFolder() {
    Path missing = temp.resolve("no-such-folder").resolve("drop");
    String environment = api.environment("Env missing");
    api.dropTarget("drop-missing", "Env missing", "app", missing, DROP_PASSWORD);
    String project = api.projectOnlyFor("Project missing", environment);
    api.process(project, "Install", "app", "echo hi");

    JsonNode deployment = api.deployAndWait(api.release(project), environment);

    assertThat(deployment.get("state").asText()).isEqualTo("Failed");
    assertThat(deployment.get("task").get("errorMessage").asText())
        .contains(missing.toString())
        .contains("drop-missing")
        .doesNotContain(DROP_PASSWORD);
    assertThat(missing).doesNotExist();
  }

  @Test
  void dropPassword_isNeverInAnyResponse() throws Exception {
    Dropped dropped = deployToDrop("secret");
    String id = dropped.targetId();

    JsonNode machine = ok(api.get("/api/machines/" + id), 200);
    assertThat(machine.get("offlineDrop").get("password").toString()).isEqualTo("{\"isSet\":true}");
    ok(api.get("/api/machines?name=drop-"), 200);

    // An update that leaves the password out keeps it.
    Map<String, Object> update = new LinkedHashMap<>();
    update.put("name", "drop-secret");
    update.put("communicationStyle", "OfflineDrop");
    update.put("environments", List.of("Env secret"));
    update.put("roles", List.of("app", "extra"));
    update.put("offlineDrop", Map.of("folder", machine.get("offlineDrop").get("folder").asText()));
    JsonNode updated = ok(api.put("/api/machines/" + id, update), 200);
    assertThat(updated.get("offlineDrop").get("password").get("isSet").asBoolean()).isTrue();
    assertThat(updated.get("roles").toString()).contains("extra");

    // A password that is too short is refused without echoing it.
    update.put(
        "offlineDrop",
        Map.of("folder", machine.get("offlineDrop").get("folder").asText(), "password", "short7!"));
    var refused = api.put("/api/machines/" + id, update);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.text()).doesNotContain("short7!");

    ok(api.get("/api/tasks?take=100"), 200);
    ok(api.get("/api/deployments"), 200);
    assertThat(api.responses).isNotEmpty().noneMatch(r -> r.contains(DROP_PASSWORD));
    assertThat(api.responses).noneMatch(r -> r.contains(DB_PASSWORD));
    assertThat(api.responses).noneMatch(r -> r.contains(API_KEY));
  }
}
