package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.e2e.tentacle.Cleanup;
import dev.sepia.e2e.tentacle.Ports;
import dev.sepia.e2e.tentacle.SepiaApi;
import dev.sepia.e2e.tentacle.SepiaTentacleCli;
import dev.sepia.e2e.tentacle.ServerUnderTest;
import dev.sepia.e2e.tentacle.TestTentacle;
import dev.sepia.e2e.ui.Browser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in headless Chromium, with a real server and a real listening Tentacle running as
 * services: an administrator signs in (after a wrong password), creates an environment and a
 * project, gives it a sensitive and a plain variable, adds the Tentacle by its thumbprint, checks
 * its health, writes a deployment process, creates a release and deploys it, following the log on
 * the task page. The sensitive value is never in any page the browser receives. The tests run in
 * order, each building on the one before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Its tests share one server, Tentacle and browser, so they run one at a time.
@ResourceLock("WebUiDeploymentE2ETest")
class WebUiDeploymentE2ETest {
  /** A task on a busy two-core machine; generous, since only a failure waits this long. */
  private static final Duration TASK = Duration.ofMinutes(4);

  private static final String USERNAME = "olivia";
  private static final String PASSWORD = "correct-horse-battery-staple";
  private static final String ENVIRONMENT = "Staging";
  private static final String MASK = "********";
  private static final String SECRET =
      "ui-s3cr3t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private static final String PLAIN = "Sepia Shop " + UUID.randomUUID().toString().substring(0, 8);

  @TempDir static Path tmp;
  static ServerUnderTest server;
  static SepiaApi api;
  static Browser browser;
  static TestTentacle tentacle;
  static String projectId;

  /** The server's thumbprint as the add-tentacle page shows it. */
  static String thumbprintOnThePage;

  @BeforeAll
  static void startAServer_withAUser_andABrowser() {
    // No environment yet: the first one is created in the browser.
    server = ServerUnderTest.installAndStart(tmp, "WebUi", new String[0]);
    api = server.api();
    api.post(
        "/api/users", Map.of("username", USERNAME, "password", PASSWORD, "role", "Administrator"));
    browser = Browser.open(server.url(), tmp.resolve("chromium-profile"));
  }

  @AfterAll
  static void stopEverything() {
    Cleanup.closeAll(browser, tentacle == null ? null : tentacle::killServiceIfRunning, server);
  }

  @Test
  @Order(1)
  void aWrongPassword_isRefusedOnTheForm_thenTheRightOneOpensTheDashboard() {
    browser.signIn(USERNAME, "not-the-password");

    String alert =
        browser.await(
            d -> {
              String text = d.findElement(By.cssSelector("[data-error-summary]")).getText();
              return text.isBlank() ? null : text;
            });
    assertThat(alert).contains("Invalid username or password");
    browser.awaitPath("/login");
    browser.screenshot("sign-in-refused");

    browser.signIn(USERNAME, PASSWORD);
    browser.awaitPath("/");
    browser.find(By.xpath("//h1[normalize-space(.)='Dashboard']"));
    browser.screenshot("dashboard");
  }

  @Test
  @Order(2)
  void anEnvironment_andAProject_areCreatedInTheBrowser() {
    browser.go("/environments");
    browser.byId("env-name").sendKeys(ENVIRONMENT);
    browser.byId("env-description").sendKeys("Where releases are tried first");
    browser.click("Add environment");
    browser.find(By.linkText(ENVIRONMENT));
    assertThat(api.environmentNamed(ENVIRONMENT).path("name").asText()).isEqualTo(ENVIRONMENT);
    browser.screenshot("environments");

    browser.go("/projects");
    browser.byId("project-name").sendKeys("Shop");
    browser.click("Add project");
    String path = browser.awaitPathStartingWith("/projects/Projects-");
    projectId = path.substring(path.lastIndexOf('/') + 1);
    browser.find(By.xpath("//h1[normalize-space(.)='Shop']"));
    assertThat(api.get("/api/projects/" + projectId).path("name").asText()).isEqualTo("Shop");
    browser.screenshot("project");
  }

  @Test
  @Order(3)
  void aSensitiveAndAPlainVariable_areSaved_andTheSecretNeverReachesThePages() {
    browser.go("/projects/" + projectId + "/variables");
    browser.click("Add a variable");
    browser.click("Add a variable");
    browser.byId("var-new1-name").sendKeys("DbPassword");
    browser.byId("var-new1-sensitive").click();
    browser.byId("var-new1-secret").sendKeys(SECRET);
    browser.byId("var-new2-name").sendKeys("AppName");
    browser.byId("var-new2-value").sendKeys(PLAIN);
    browser.screenshot("variables-filled");
    browser.click("Save variables");
    // Saved, the page reloads with the stored rows.
    browser.find(By.id("var-1-name"));

    JsonNode variables = api.get("/api/projects/" + projectId + "/variables").path("variables");
    assertThat(variables).hasSize(2);
    assertThat(variables.path(0).path("name").asText()).isEqualTo("DbPassword");
    assertThat(variables.path(0).path("isSensitive").asBoolean()).isTrue();
    assertThat(variables.path(0).path("isSet").asBoolean()).isTrue();
    assertThat(variables.path(1).path("value").asText()).isEqualTo(PLAIN);

    browser.go("/projects/" + projectId + "/variables");
    assertThat(browser.byId("var-0-name").getAttribute("value")).isEqualTo("DbPassword");
    assertThat(browser.byId("var-0-secret").getAttribute("value")).isEmpty();
    assertThat(browser.byId("var-1-value").getAttribute("value")).isEqualTo(PLAIN);
    assertThat(browser.pageSource()).doesNotContain(SECRET).contains(PLAIN);
    browser.screenshot("variables");
    browser.go("/projects/" + projectId);
    browser.find(By.xpath("//h1[normalize-space(.)='Shop']"));
    assertThat(browser.pageSource()).doesNotContain(SECRET);
  }

  @Test
  @Order(4)
  void theAddTentaclePage_showsTheServersThumbprint_asTheApiGivesIt() {
    browser.go("/infrastructure/add-tentacle");
    thumbprintOnThePage = browser.byId("server-thumbprint").getText().strip();

    assertThat(thumbprintOnThePage).matches("[0-9A-F]{40,64}").isEqualTo(api.serverThumbprint());
    assertThat(browser.byId("listening-commands").getText())
        .contains("--trust=" + thumbprintOnThePage);
    browser.screenshot("add-tentacle");
  }

  @Test
  @Order(5)
  void aListeningTentacle_addedWithTheForm_isHealthy_afterAHealthCheckFromTheInfrastructurePage() {
    int port = Ports.free();
    tentacle =
        TestTentacle.create(new SepiaTentacleCli(tmp.resolve("web01-machine"), tmp), tmp, "Web01");
    tentacle.newCertificate();
    tentacle
        .run(
            "configure",
            "--port",
            Integer.toString(port),
            "--listenIpAddress",
            "127.0.0.1",
            "--trust=" + thumbprintOnThePage)
        .succeeded();
    tentacle.run("service", "--install", "--start").succeeded();
    String tentacleThumbprint = tentacle.thumbprint();

    browser.go("/infrastructure/add-tentacle");
    browser.byId("t-name").sendKeys("web01");
    browser.byId("t-uri").sendKeys("https://127.0.0.1:" + port + "/");
    browser.byId("t-thumbprint").sendKeys(tentacleThumbprint);
    new Select(browser.byId("t-environments")).selectByVisibleText(ENVIRONMENT);
    browser.byId("t-roles").sendKeys("web");
    browser.screenshot("add-tentacle-filled");
    browser.click("Add Tentacle");
    browser.awaitPath("/infrastructure");
    browser.find(By.linkText("web01"));
    JsonNode machine = api.machineNamed("web01");
    assertThat(machine.path("thumbprint").asText()).isEqualTo(tentacleThumbprint);
    assertThat(machine.path("roles").toString()).isEqualTo("[\"web\"]");
    browser.screenshot("infrastructure");

    browser.click("Check health of all targets");
    String taskPath = browser.awaitPathStartingWith("/tasks/");
    String state = awaitTaskEnd();
    String healthLog = browser.byId("task-log").getText();
    browser.screenshot("health-task");
    assertThat(state).as("health check %s:\n%s", taskPath, healthLog).isEqualTo("Success");

    browser.go("/infrastructure");
    WebElement row =
        browser.find(
            By.xpath("//tr[td/a[normalize-space(.)='web01']]//span[contains(@class,'state')]"));
    assertThat(row.getText()).as(healthLog).isEqualTo("Healthy");
    browser.screenshot("infrastructure-healthy");
  }

  @Test
  @Order(6)
  void aStep_forTheWebRole_isAddedInTheProcessEditor() {
    browser.go("/projects/" + projectId + "/process");
    browser.click("Add a step");
    browser.byId("step-new1-name").sendKeys("Say hello");
    browser.byId("step-new1-roles").sendKeys("web");
    browser.byId("step-new1-script").sendKeys(SCRIPT);
    browser.byId("step-new1-parameters").sendKeys("Gate=" + gate());
    browser.screenshot("process-filled");
    browser.click("Save process");
    browser.find(By.id("step-0-name"));

    JsonNode step = api.get("/api/projects/" + projectId + "/process").path("steps").path(0);
    assertThat(step.path("name").asText()).isEqualTo("Say hello");
    assertThat(step.path("targetRoles").toString()).isEqualTo("[\"web\"]");
    assertThat(step.path("script").asText()).contains("#{DbPassword}").contains("#{AppName}");
    assertThat(step.path("parameters").path("Gate").asText()).isEqualTo(gate().toString());
    assertThat(browser.pageSource()).doesNotContain(SECRET);
    browser.screenshot("process");
  }

  /**
   * Prints the plain variable and the sensitive one (which the log must mask), then waits for the
   * gate file, which the test creates once it has seen those lines on the live task page: so the
   * page is known to follow a running task, without guessing how long anything takes.
   */
  private static final String SCRIPT =
      """
      echo "plain=#{AppName}"
      echo "secret=#{DbPassword}"
      echo "machine=#{Sepia.Machine.Name}"
      for i in $(seq 1 300); do [ -f '#{Parameters.Gate}' ] && break; sleep 1; done
      [ -f '#{Parameters.Gate}' ] || { echo "the gate was never opened"; exit 1; }
      echo "through the gate"
      """;

  private static Path gate() {
    return tmp.resolve("deployment-gate");
  }

  @Test
  @Order(7)
  void aRelease_deployedFromTheProjectPage_succeeds_andItsLiveLogMasksTheSecret() {
    browser.go("/projects/" + projectId);
    browser.byId("release-notes").sendKeys("First release, from the browser");
    browser.click("Create release");
    browser.find(By.linkText("0.0.1"));
    browser.scrollTo(browser.find(By.tagName("table")));
    browser.screenshot("project-release");
    assertThat(browser.pageSource()).doesNotContain(SECRET);

    browser.click("Deploy to " + ENVIRONMENT);
    String taskPath = browser.awaitPathStartingWith("/tasks/");

    // The script waits at the gate: what the page shows now came over the live stream.
    String running =
        browser.await(
            TASK,
            d -> {
              String text = d.findElement(By.id("task-log")).getText();
              return text.contains("[web01] machine=") ? text : null;
            });
    assertThat(browser.byId("task-state").getText()).isEqualTo("Executing");
    assertThat(browser.byId("task-cancel").isDisplayed()).isTrue();
    assertThat(browser.byId("task-log-end").isDisplayed()).isFalse();
    assertThat(running)
        .contains("[web01] plain=" + PLAIN)
        .contains("[web01] secret=" + MASK)
        .doesNotContain("through the gate")
        .doesNotContain(SECRET);
    assertThat(browser.pageSource()).doesNotContain(SECRET);
    browser.scrollTo(browser.byId("task-log"));
    browser.screenshot("deployment-task-running");

    open(gate());
    String state = awaitTaskEnd();
    String log = browser.byId("task-log").getText();
    browser.scrollTo(browser.byId("task-log-end"));
    browser.screenshot("deployment-task");

    assertThat(state).as("deployment %s:\n%s", taskPath, log).isEqualTo("Success");
    assertThat(log)
        .contains("[web01] plain=" + PLAIN)
        .contains("[web01] secret=" + MASK)
        .contains("[web01] machine=web01")
        .contains("[web01] through the gate")
        .doesNotContain(SECRET);
    assertThat(browser.byId("task-cancel").isDisplayed()).isFalse();
    assertThat(browser.pageSource()).doesNotContain(SECRET);
    // The page that followed the task shows when it completed, without a reload.
    assertThat(fact("Completed"))
        .as("Completed, on the page that followed the task")
        .matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC");
    browser.go(taskPath);
    assertThat(fact("Completed")).matches("\\d{4}-\\d{2}-\\d{2} .*UTC");
    // The server agrees with what the page showed.
    String taskId = taskPath.substring(taskPath.lastIndexOf('/') + 1);
    assertThat(api.get("/api/tasks/" + taskId).path("state").asText()).isEqualTo("Success");

    browser.go("/projects/" + projectId);
    browser.find(By.cssSelector("a[href='/tasks/" + taskId + "']"));
    assertThat(browser.pageSource()).doesNotContain(SECRET);
    browser.scrollTo(browser.find(By.tagName("table")));
    browser.screenshot("project-deployed");
  }

  @Test
  @Order(8)
  void neitherTheServersLog_norTheTentacles_showsTheSecret() {
    for (String log : List.of(server.log(), tentacle.serviceLog())) {
      assertThat(log).doesNotContain(SECRET);
    }
  }

  // ---- helpers

  /** What the task page's facts list shows for this term, e.g. "Completed". */
  private static String fact(String term) {
    return browser
        .find(
            By.xpath(
                "//dl[contains(@class,'facts')]/dt[normalize-space(.)='"
                    + term
                    + "']/following-sibling::dd[1]"))
        .getText()
        .strip();
  }

  private static void open(Path gate) {
    try {
      Files.createFile(gate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits, on a task page, until the log stream has ended (the page then says "End of the log.")
   * and returns the state the page shows.
   */
  private static String awaitTaskEnd() {
    browser.await(
        TASK, d -> d.findElement(By.id("task-log-end")).isDisplayed() ? Boolean.TRUE : null);
    return browser.byId("task-state").getText().strip();
  }
}
