package dev.sepia.server.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.server.TestServer;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Path;
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
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Library variable sets in the browser: added, given variables (sensitive kept out of the page).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LibrarySetsUiTest {
  static final String PASSWORD = "correct-horse-battery";
  static final String SECRET = "set-marker-" + UUID.randomUUID();
  @TempDir static Path temp;
  static TestServer server;
  static Browser browser;
  static String setId;

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
  void aSet_isAddedFromTheListPage() {
    browser.go("/library-sets");
    browser.type("Name", "Common");
    browser.type("Description", "Shared by every project");
    browser.click("Add library variable set");
    browser.await(
        d ->
            d.getCurrentUrl().contains("/library-sets/LibraryVariableSets-") ? Boolean.TRUE : null);
    String url = browser.driver().getCurrentUrl();
    setId = url.substring(url.lastIndexOf('/') + 1);
    assertThat(server.get("/api/libraryvariablesets/" + setId).body().get("name").asText())
        .isEqualTo("Common");
    browser.go("/library-sets");
    browser.find(By.linkText("Common"));
    browser.screenshot("library-sets");
  }

  @Test
  @Order(2)
  void variables_areSaved_andTheSensitiveValueIsNeverSentToTheBrowser() {
    browser.go("/library-sets/" + setId);
    browser.click("Add a variable");
    browser.click("Add a variable");
    byId("var-new1-name").sendKeys("SmtpPassword");
    // Typed as plain, then marked sensitive: the value moves to the write-only field.
    byId("var-new1-value").sendKeys(SECRET);
    byId("var-new1-sensitive").click();
    assertThat(byId("var-new1-secret").getAttribute("value")).isEqualTo(SECRET);
    assertThat(byId("var-new1-value").getAttribute("value")).isEmpty();
    byId("var-new2-name").sendKeys("SmtpHost");
    byId("var-new2-value").sendKeys("mail.example.com");
    browser.click("Save variables");
    browser.find(By.id("var-1-name"));
    JsonNode variables = server.get("/api/libraryvariablesets/" + setId + "/variables").body();
    assertThat(variables.at("/variables/0/isSensitive").asBoolean()).isTrue();
    assertThat(variables.at("/variables/0/isSet").asBoolean()).isTrue();
    assertThat(variables.at("/variables/1/value").asText()).isEqualTo("mail.example.com");
    browser.go("/library-sets/" + setId);
    browser.find(By.id("var-0-name"));
    assertThat(browser.pageSource()).doesNotContain(SECRET).contains("SmtpPassword");
    browser.screenshot("library-set");
  }

  @Test
  @Order(3)
  void aNewSensitiveVariableWithoutAValue_isRefusedNextToItsValue() {
    browser.go("/library-sets/" + setId);
    browser.click("Add a variable");
    byId("var-new1-name").sendKeys("Token");
    byId("var-new1-sensitive").click();
    browser.click("Save variables");
    String error =
        browser.await(
            d -> {
              String text = d.findElement(By.id("var-new1-value-error")).getText();
              return text.isBlank() ? null : text;
            });
    assertThat(error).contains("needs a value");
    assertThat(byId("var-0-value-error").getText()).isEmpty();
    assertThat(
            server
                .get("/api/libraryvariablesets/" + setId + "/variables")
                .body()
                .at("/variables")
                .size())
        .isEqualTo(2);
  }

  @Test
  @Order(4)
  void aSetIncludedByAProject_isNotDeleted_untilItIsRemovedFromIt() {
    String projectId =
        server
            .post("/api/projects", Map.of("name", "Shop", "libraryVariableSetIds", List.of(setId)))
            .body()
            .get("id")
            .asText();
    browser.go("/library-sets/" + setId);
    assertThat(browser.find(By.xpath("//h2[.='Included by']/following-sibling::ul")).getText())
        .contains("Shop");
    browser.click("Delete library variable set");
    browser.driver().switchTo().alert().accept();
    WebElement problem = browser.find(By.id("page-error"));
    browser.await(d -> problem.isDisplayed() ? Boolean.TRUE : null);
    assertThat(problem.getText()).contains("included by 1 project");

    assertThat(server.put("/api/projects/" + projectId, Map.of("name", "Shop")).status())
        .isEqualTo(200);
    browser.go("/library-sets/" + setId);
    browser.click("Delete library variable set");
    browser.driver().switchTo().alert().accept();
    browser.awaitPath("/library-sets");
    assertThat(server.get("/api/libraryvariablesets/" + setId).status()).isEqualTo(404);
  }

  private static WebElement byId(String id) {
    return browser.find(By.id(id));
  }
}
