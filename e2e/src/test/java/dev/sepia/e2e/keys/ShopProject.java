package dev.sepia.e2e.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.e2e.tentacle.SepiaApi;
import dev.sepia.e2e.tentacle.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A project "Shop" holding a value of every sealed kind, made through the REST API as an operator
 * would: a sensitive project variable, a library variable set's secret, a sensitive step parameter,
 * an account, a certificate and an offline drop target. Its one step writes what each target sees
 * to a file per target and release (the Tentacles run on this machine, so the test reads it) and
 * prints the same to the task log, where the server masks the secrets.
 */
public final class ShopProject {
  /** Deployments on a busy two-core machine; only a failure waits this long. */
  private static final Duration DEPLOYMENT = Duration.ofMinutes(3);

  public static final String MASK = "********";
  public static final String GREETING = "Hello from the shop";

  private static final String WRITE_VALUES =
      """
      set -eu
      sleep #{Parameters.PauseSeconds}
      out='#{Parameters.OutDir}/#{Sepia.Machine.Name}-#{Sepia.Release.Number}.properties'
      cat > "$out" <<'VALUES'
      greeting=#{Greeting}
      password=#{DbPassword}
      library=#{LibrarySecret}
      token=#{Parameters.ApiToken}
      VALUES
      echo "greeting=#{Greeting}"
      echo "password=#{DbPassword}"
      echo "library=#{LibrarySecret}"
      echo "token=#{Parameters.ApiToken}"
      """;

  private final SepiaApi api;
  private final Path outDir;
  private final ShopSecrets secrets;
  private String productionId;
  private String projectId;

  /** A deployable release. */
  public record Release(String id, String version) {}

  public ShopProject(SepiaApi api, Path outDir, ShopSecrets secrets) {
    this.api = api;
    this.outDir = outDir;
    this.secrets = secrets;
  }

  /**
   * Makes the environments Production (first, so it can be deployed to at once) and Test; call
   * before any Tentacle registers.
   */
  public void createEnvironments() {
    productionId = api.createEnvironment("Production");
    api.createEnvironment("Test");
  }

  /**
   * Stores every kind of secret; the step pauses {@code pauseSeconds} before it writes, so that
   * deployments can be caught running.
   */
  public void populate(int pauseSeconds) {
    String librarySetId =
        api.post("/api/libraryvariablesets", Map.of("name", "Common")).path("id").asText();
    api.put(
        "/api/libraryvariablesets/" + librarySetId + "/variables",
        Map.of(
            "variables",
            List.of(
                variable("LibrarySecret", secrets.librarySecret(), true),
                variable("Region", "eu-west", false))));
    projectId =
        api.post(
                "/api/projects",
                Map.of("name", "Shop", "libraryVariableSetIds", List.of(librarySetId)))
            .path("id")
            .asText();
    api.put(
        "/api/projects/" + projectId + "/variables",
        Map.of(
            "variables",
            List.of(
                variable("Greeting", GREETING, false),
                variable("DbPassword", secrets.dbPassword(), true))));
    api.put(
        "/api/projects/" + projectId + "/process", Map.of("steps", List.of(step(pauseSeconds))));
    api.post("/api/accounts", account());
    api.post("/api/certificates", certificate());
    api.post("/api/machines", dropTarget());
  }

  /** A new release of the project, with the values as they are now. */
  public Release newRelease() {
    JsonNode release = api.post("/api/releases", Map.of("projectId", projectId));
    return new Release(release.path("id").asText(), release.path("version").asText());
  }

  /** Queues a deployment of the release to Production and returns its task's id. */
  public String deploy(Release release) {
    JsonNode deployment =
        api.post(
            "/api/deployments", Map.of("releaseId", release.id(), "environmentId", productionId));
    assertThat(deployment.path("id").asText()).startsWith("Deployments-");
    return deployment.path("taskId").asText();
  }

  /** Waits for the task to finish, and returns it as the API shows it then. */
  public JsonNode awaitFinished(String taskId) {
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

  /**
   * Deploys the release, waits, and checks that it succeeded on every target with the original
   * secret values, which its log shows masked only. Returns the task's log.
   */
  public String deploysWithTheSecrets(Release release, List<String> targets) {
    return succeededWithTheSecrets(awaitFinished(deploy(release)), release, targets);
  }

  /** Checks a finished deployment as {@link #deploysWithTheSecrets} does; returns its log. */
  public String succeededWithTheSecrets(JsonNode task, Release release, List<String> targets) {
    String log = api.text("/api/tasks/" + task.path("id").asText() + "/raw");
    assertThat(task.path("state").asText()).as(log).isEqualTo("Success");
    for (String target : targets) {
      Properties seen = valuesWrittenBy(target, release.version());
      assertThat(seen.getProperty("greeting")).isEqualTo(GREETING);
      assertThat(seen.getProperty("password")).isEqualTo(secrets.dbPassword());
      assertThat(seen.getProperty("library")).isEqualTo(secrets.librarySecret());
      assertThat(seen.getProperty("token")).isEqualTo(secrets.token());
      assertThat(log).contains("[" + target + "] greeting=" + GREETING);
      for (String secret : List.of("password", "library", "token")) {
        assertThat(log).contains("[" + target + "] " + secret + "=" + MASK);
      }
    }
    assertThat(log).doesNotContain(secrets.all());
    return log;
  }

  /** What the release's step wrote on the target. */
  public Properties valuesWrittenBy(String target, String version) {
    Path file = outDir.resolve(target + "-" + version + ".properties");
    Properties values = new Properties();
    try (var reader = Files.newBufferedReader(file)) {
      values.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("Reading what " + target + " wrote", e);
    }
    return values;
  }

  public String projectId() {
    return projectId;
  }

  private static Map<String, Object> variable(String name, String value, boolean sensitive) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", name);
    v.put("value", value);
    v.put("isSensitive", sensitive);
    return v;
  }

  private Map<String, Object> step(int pauseSeconds) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("name", "Write what the target sees");
    s.put("kind", "RunScript");
    s.put("targetRoles", List.of("web"));
    s.put("script", WRITE_VALUES);
    s.put(
        "parameters",
        Map.of("OutDir", outDir.toString(), "PauseSeconds", Integer.toString(pauseSeconds)));
    s.put("sensitiveParameters", Map.of("ApiToken", secrets.token()));
    s.put("maxParallel", 10);
    return s;
  }

  private Map<String, Object> account() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "Deployer");
    body.put("kind", "UsernamePassword");
    body.put("username", "deploy");
    body.put("password", secrets.accountPassword());
    return body;
  }

  private Map<String, Object> certificate() {
    CertificateWithKey shop = Certificates.generateSelfSigned("shop.example.com");
    byte[] pfx = Certificates.toPkcs12(shop, secrets.pfxPassword().toCharArray(), "shop");
    return Map.of(
        "name",
        "Shop TLS",
        "certificateData",
        Base64.getEncoder().encodeToString(pfx),
        "password",
        secrets.pfxPassword());
  }

  private Map<String, Object> dropTarget() {
    Path drops;
    try {
      drops = Files.createDirectories(outDir.resolveSibling("drops"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "drop01");
    body.put("communicationStyle", "OfflineDrop");
    // In Test, with a role of its own: the project's deployments never reach it.
    body.put("environments", List.of("Test"));
    body.put("roles", List.of("offline"));
    body.put("offlineDrop", Map.of("folder", drops.toString(), "password", secrets.dropPassword()));
    return body;
  }
}
