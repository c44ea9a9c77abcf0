package dev.sepia.server.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.TestServer;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A project built in the browser: its variables and process (sensitive values never sent back to
 * the page), a release deployed from its page, and what a Viewer sees.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectsUiTest {
  static final String PASSWORD = "correct-horse-battery";
  static final String VARIABLE_SECRET = "var-marker-" + UUID.randomUUID();
  static final String PARAMETER_SECRET = "param-marker-" + UUID.randomUUID();
  @TempDir static Path temp;
  static TestServer server;
  static Browser browser;
  static String projectId;

  @BeforeAll
  static void start() {
    server = TestServer.start(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    for (String[] user : new String[][] {{"olivia", "Administrator"}, {"victor", "Viewer"}}) {
      assertThat(
              server
                  .post(
                      "/api/users",
                      Map.of("username", user[0], "password", PASSWORD, "role", user[1]))
                  .status())
          .isEqualTo(201);
    }
    // No target is in this environment: a deployment to it starts, then fails.
    assertThat(server.post("/api/environments", Map.of("name", "Test")).status()).isEqualTo(201);
    browser = Browser.open(server.baseUrl(), temp.resolve("chromium-profile"));
    browser.signIn("olivia", PASSWORD);
    browser.awaitPath("/");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
  }

  @Test
  @Order(1)
  void aProject_isAddedFromTheProjectsPage() {
    browser.go("/projects");
    browser.screenshot("projects-empty");
    browser.type("Name", "Shop");
    browser.type("Description", "The web shop");
    browser.click("Add project");
    browser.await(d -> d.getCurrentUrl().contains("/projects/Projects-") ? Boolean.TRUE : null);
    String url = browser.driver().getCurrentUrl();
    projectId = url.substring(url.lastIndexOf('/') + 1);
    browser.find(By.xpath("//h1[normalize-space(.)='Shop']"));
    assertThat(server.get("/api/projects/" + projectId).body().get("name").asText())
        .isEqualTo("Shop");
    browser.screenshot("project-new");
    browser.go("/projects");
    browser.find(By.linkText("Shop"));
    browser.screenshot("projects");
  }

  @Test
  @Order(2)
  void variables_areSaved_andTheSensitiveValueIsNeverSentToTheBrowser() {
    browser.go("/projects/" + projectId + "/variables");
    browser.click("Add a variable");
    browser.click("Add a variable");
    byId("var-new1-name").sendKeys("DbPassword");
    byId("var-new1-sensitive").click();
    byId("var-new1-secret").sendKeys(VARIABLE_SECRET);
    byId("var-new2-name").sendKeys("Port");
    byId("var-new2-value").sendKeys("8080");
    new Select(byId("var-new2-environments")).selectByVisibleText("Test");
    byId("var-new2-roles").sendKeys("web");
    browser.screenshot("variables-filled");
    browser.click("Save variables");
    browser.find(By.id("var-1-name"));

    JsonNode variables = server.get("/api/projects/" + projectId + "/variables").body();
    assertThat(variables.at("/variables/0/name").asText()).isEqualTo("DbPassword");
    assertThat(variables.at("/variables/0/isSensitive").asBoolean()).isTrue();
    assertThat(variables.at("/variables/0/isSet").asBoolean()).isTrue();
    assertThat(variables.at("/variables/1/value").asText()).isEqualTo("8080");
    assertThat(variables.at("/variables/1/scope/roles/0").asText()).isEqualTo("web");
    assertThat(variables.at("/variables/1/scope/environments").size()).isEqualTo(1);

    browser.go("/projects/" + projectId + "/variables");
    browser.find(By.id("var-0-name"));
    assertThat(browser.pageSource()).doesNotContain(VARIABLE_SECRET).contains("DbPassword");
    assertThat(browser.find(By.cssSelector("#var-0-secret")).getAttribute("value")).isEmpty();
    browser.screenshot("variables");
    for (String page : new String[] {"", "/process"}) {
      browser.go("/projects/" + projectId + page);
      browser.find(By.tagName("h1"));
      assertThat(browser.pageSource()).doesNotContain(VARIABLE_SECRET);
    }
  }

  @Test
  @Order(3)
  void changingThePlainVariable_keepsTheSensitiveOne() {
    String sensitiveId =
        server
            .get("/api/projects/" + projectId + "/variables")
            .body()
            .at("/variables/0/id")
            .asText();
    browser.go("/projects/" + projectId + "/variables");
    WebElement port = byId("var-1-value");
    port.clear();
    port.sendKeys("9090");
    browser.click("Save variables");
    browser.await(
        d ->
            server
                    .get("/api/projects/" + projectId + "/variables")
                    .body()
                    .at("/variables/1/value")
                    .asText()
                    .equals("9090")
                ? Boolean.TRUE
                : null);
    JsonNode variables = server.get("/api/projects/" + projectId + "/variables").body();
    assertThat(variables.at("/variables/0/id").asText()).isEqualTo(sensitiveId);
    assertThat(variables.at("/variables/0/isSet").asBoolean()).isTrue();
  }

  @Test
  @Order(4)
  void aStepWithoutAName_showsTheErrorNextToItsNameField() {
    browser.go("/projects/" + projectId + "/process");
    browser.click("Add a step");
    browser.click("Save process");
    String error = awaitText("step-new1-name-error");
    assertThat(error).contains("required");
    assertThat(byId("step-new1-name").getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(byId("step-new1-script-error").getText()).contains("required");
    browser.screenshot("process-invalid");
    assertThat(server.get("/api/projects/" + projectId + "/process").body().at("/steps").size())
        .isZero();
  }

  @Test
  @Order(5)
  void aStep_withASensitiveParameter_isSaved_andTheValueIsNeverSentToTheBrowser() {
    browser.go("/projects/" + projectId + "/process");
    browser.click("Add a step");
    byId("step-new1-name").sendKeys("Deploy");
    byId("step-new1-roles").sendKeys("web, api");
    byId("step-new1-script").sendKeys("echo deploying #{Port}");
    byId("step-new1-parameters").sendKeys("Region=eu\nTier=gold");
    browser.click("Add a sensitive parameter");
    byId("secret-new2-name").sendKeys("ApiToken");
    byId("secret-new2-value").sendKeys(PARAMETER_SECRET);
    browser.screenshot("process-filled");
    browser.click("Save process");
    browser.find(By.id("step-0-name"));

    JsonNode step = server.get("/api/projects/" + projectId + "/process").body().at("/steps/0");
    assertThat(step.get("name").asText()).isEqualTo("Deploy");
    assertThat(step.at("/targetRoles").toString()).isEqualTo("[\"web\",\"api\"]");
    assertThat(step.at("/parameters/Tier").asText()).isEqualTo("gold");
    assertThat(step.at("/sensitiveParameters/ApiToken/isSet").asBoolean()).isTrue();
    assertThat(browser.pageSource()).doesNotContain(PARAMETER_SECRET).contains("ApiToken");
    browser.screenshot("process");

    // A second step's error lands on that step, and saving again keeps the stored parameter.
    browser.click("Add a step");
    byId("step-new1-roles").sendKeys("web");
    byId("step-new1-script").sendKeys("echo second");
    browser.click("Save process");
    assertThat(awaitText("step-new1-name-error")).contains("required");
    assertThat(byId("step-0-name-error").getText()).isEmpty();
    byId("step-new1-name").sendKeys("Smoke test");
    browser.click("Save process");
    browser.find(By.id("step-1-name"));
    JsonNode steps = server.get("/api/projects/" + projectId + "/process").body().at("/steps");
    assertThat(steps.size()).isEqualTo(2);
    assertThat(steps.at("/0/id").asText()).isEqualTo(step.get("id").asText());
    assertThat(steps.at("/0/sensitiveParameters/ApiToken/isSet").asBoolean()).isTrue();
    assertThat(browser.pageSource()).doesNotContain(PARAMETER_SECRET);
    for (String page : new String[] {"", "/variables"}) {
      browser.go("/projects/" + projectId + page);
      browser.find(By.tagName("h1"));
      assertThat(browser.pageSource()).doesNotContain(PARAMETER_SECRET);
    }
  }

  @Test
  @Order(6)
  void aRelease_isCreated_andDeployedFromTheProjectPage() {
    browser.go("/projects/" + projectId);
    browser.type("Notes", "First cut");
    browser.click("Create release");
    browser.find(By.linkText("0.0.1"));
    JsonNode releases = server.get("/api/releases?projectId=" + projectId).body();
    assertThat(releases.get("totalResults").asInt()).isEqualTo(1);
    JsonNode release = server.get("/api/releases/" + releases.at("/items/0/id").asText()).body();
    JsonNode frozen = release.at("/variables");
    assertThat(frozen.at("/0/name").asText()).isEqualTo("DbPassword");
    assertThat(frozen.at("/0/isSet").asBoolean()).isTrue();
    assertThat(frozen.at("/1/value").asText()).isEqualTo("9090");
    assertThat(release.toString()).doesNotContain(VARIABLE_SECRET).doesNotContain(PARAMETER_SECRET);
    scrollTo(By.tagName("table"));
    browser.screenshot("project-with-release");

    browser.click("Deploy to Test");
    browser.await(d -> d.getCurrentUrl().contains("/tasks/") ? Boolean.TRUE : null);
    String taskId =
        browser
            .driver()
            .getCurrentUrl()
            .substring(browser.driver().getCurrentUrl().lastIndexOf('/') + 1);
    assertThat(server.get("/api/tasks/" + taskId).status()).isEqualTo(200);
    server.awaitTask(taskId);
    browser.go("/projects/" + projectId);
    browser.find(By.cssSelector("a[href='/tasks/" + taskId + "']"));
    assertThat(browser.pageSource()).doesNotContain(VARIABLE_SECRET);
    scrollTo(By.tagName("table"));
    browser.screenshot("project-deployed");
    browser.go("/releases/" + releases.at("/items/0/id").asText());
    browser.find(By.xpath("//h1[normalize-space(.)='Release 0.0.1']"));
    assertThat(browser.pageSource())
        .doesNotContain(VARIABLE_SECRET)
        .doesNotContain(PARAMETER_SECRET)
        .contains("9090");
    browser.screenshot("release");
  }

  @Test
  @Order(7)
  void aViewer_seesTheProject_butNoFormToChangeIt() {
    browser.go("/");
    browser.click("Sign out");
    browser.awaitPath("/login");
    browser.signIn("victor", PASSWORD);
    browser.awaitPath("/");
    for (String page :
        new String[] {
          "/projects",
          "/projects/" + projectId,
          "/projects/" + projectId + "/variables",
          "/projects/" + projectId + "/process"
        }) {
      browser.go(page);
      browser.find(By.tagName("h1"));
      assertThat(browser.driver().findElements(By.cssSelector("form[data-api-path]")))
          .as(page)
          .isEmpty();
      assertThat(browser.driver().findElements(By.cssSelector("button[data-api-path]")))
          .as(page)
          .allMatch(b -> "Sign out".equals(b.getText()));
      assertThat(browser.pageSource())
          .doesNotContain(VARIABLE_SECRET)
          .doesNotContain(PARAMETER_SECRET);
    }
    browser.go("/projects/" + projectId + "/variables");
    assertThat(browser.find(By.tagName("table")).getText()).contains("DbPassword").contains("set");
    browser.screenshot("variables-viewer");
    browser.go("/projects/" + projectId + "/process");
    browser.find(By.xpath("//h2[normalize-space(.)='Deploy']"));
    browser.screenshot("process-viewer");
    browser.go("/projects/" + projectId);
    browser.screenshot("project-viewer");
  }

  private static void scrollTo(By by) {
    ((JavascriptExecutor) browser.driver())
        .executeScript("arguments[0].scrollIntoView()", browser.find(by));
  }

  private static WebElement byId(String id) {
    return browser.find(By.id(id));
  }

  private static String awaitText(String id) {
    return browser.await(
        d -> {
          String text = d.findElement(By.id(id)).getText();
          return text.isBlank() ? null : text;
        });
  }
}
