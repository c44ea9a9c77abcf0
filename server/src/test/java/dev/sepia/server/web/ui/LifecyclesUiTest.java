package dev.sepia.server.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.TestServer;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Lifecycles in the browser: the default one marked, one with two phases added, reordered, deleted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LifecyclesUiTest {
  static final String PASSWORD = "correct-horse-battery";
  @TempDir static Path temp;
  static TestServer server;
  static Browser browser;
  static String development;
  static String production;
  static String lifecycleId;

  @BeforeAll
  static void start() {
    server = TestServer.start(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    assertThat(
            server
                .post(
                    "/api/users",
                    Map.of("username", "olivia", "password", PASSWORD, "role", "Administrator"))
                .status())
        .isEqualTo(201);
    development =
        server.post("/api/environments", Map.of("name", "Development")).body().get("id").asText();
    production =
        server.post("/api/environments", Map.of("name", "Production")).body().get("id").asText();
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
  void theDefaultLifecycle_isMarked_andListsEveryEnvironment() {
    browser.go("/lifecycles");
    WebElement row = browser.find(By.xpath("//tr[.//span[normalize-space(.)='default']]"));
    assertThat(row.getText()).contains("Development").contains("Production");
    browser.screenshot("lifecycles");
  }

  @Test
  @Order(2)
  void aPhaseWithoutEnvironments_isShownNextToThatPhase() {
    browser.go("/lifecycles");
    browser.type("Name", "Standard");
    byId("phase-0-name").sendKeys("Test");
    browser.click("Add lifecycle");
    String error =
        browser.await(
            d -> {
              String text = d.findElement(By.id("phase-0-environments-error")).getText();
              return text.isBlank() ? null : text;
            });
    assertThat(error).contains("at least one environment");
    browser.screenshot("lifecycle-invalid");
  }

  @Test
  @Order(3)
  void aLifecycleWithTwoPhases_isAdded() {
    browser.go("/lifecycles");
    browser.type("Name", "Standard");
    byId("phase-0-name").sendKeys("Test");
    new Select(byId("phase-0-environments")).selectByVisibleText("Development");
    browser.click("Add a phase");
    byId("phase-new1-name").sendKeys("Live");
    new Select(byId("phase-new1-environments")).selectByVisibleText("Production");
    browser.click("Add lifecycle");
    browser.await(d -> d.getCurrentUrl().contains("/lifecycles/Lifecycles-") ? Boolean.TRUE : null);
    String url = browser.driver().getCurrentUrl();
    lifecycleId = url.substring(url.lastIndexOf('/') + 1);
    JsonNode lifecycle = server.get("/api/lifecycles/" + lifecycleId).body();
    assertThat(lifecycle.at("/phases/0/name").asText()).isEqualTo("Test");
    assertThat(lifecycle.at("/phases/0/environmentIds/0").asText()).isEqualTo(development);
    assertThat(lifecycle.at("/phases/1/name").asText()).isEqualTo("Live");
    assertThat(lifecycle.at("/phases/1/environmentIds/0").asText()).isEqualTo(production);
    browser.find(By.xpath("//h1[normalize-space(.)='Standard']"));
    browser.screenshot("lifecycle");
  }

  @Test
  @Order(4)
  void phases_areReorderedOnTheLifecyclePage() {
    browser.go("/lifecycles/" + lifecycleId);
    browser
        .find(By.xpath("//div[@data-item][.//input[@value='Test']]//button[.='Move down']"))
        .click();
    browser.click("Save");
    browser.await(
        d ->
            server
                    .get("/api/lifecycles/" + lifecycleId)
                    .body()
                    .at("/phases/0/name")
                    .asText()
                    .equals("Live")
                ? Boolean.TRUE
                : null);
    assertThat(server.get("/api/lifecycles/" + lifecycleId).body().at("/phases/1/name").asText())
        .isEqualTo("Test");
  }

  @Test
  @Order(5)
  void aLifecycle_isDeleted() {
    browser.go("/lifecycles/" + lifecycleId);
    browser.click("Delete lifecycle");
    browser.driver().switchTo().alert().accept();
    browser.awaitPath("/lifecycles");
    assertThat(server.get("/api/lifecycles/" + lifecycleId).status()).isEqualTo(404);
  }

  private static WebElement byId(String id) {
    return browser.find(By.id(id));
  }
}
