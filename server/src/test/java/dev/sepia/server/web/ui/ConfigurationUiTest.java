package dev.sepia.server.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.server.TestServer;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.openqa.selenium.support.ui.Select;

/** Server facts, users, API keys, the audit log and the recovery page, in Chromium. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigurationUiTest {
  static final String PASSWORD = "correct-horse-battery";
  @TempDir static Path temp;
  static TestServer server;
  static Browser browser;
  static String createdKey;

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
  void theConfigurationPage_showsTheServerFacts_andTheKeyIsNotBackedUp() {
    browser.go("/configuration");
    String facts = browser.find(By.cssSelector("dl.facts")).getText();
    assertThat(facts).contains("Test").contains("H2").contains(server.thumbprint());
    assertThat(browser.find(By.cssSelector("main")).getText()).contains("Not backed up");
    browser.screenshot("configuration");

    browser.find(By.linkText("Values to re-enter")).click();
    browser.awaitPath("/recovery");
    assertThat(browser.find(By.cssSelector("main")).getText())
        .contains("sepia-server lost-master-key")
        .contains("nothing needs to be entered again");
    browser.screenshot("recovery");
  }

  @Test
  @Order(2)
  void aNewApiKey_isShownOnce_works_andIsGoneAfterAReload() throws Exception {
    browser.go("/configuration/api-keys");
    assertThat(browser.find(By.cssSelector("main")).getText()).contains("You have no API keys");
    browser.type("Purpose", "build server");
    browser.click("Create an API key");
    createdKey =
        browser.await(
            d -> {
              String text = d.findElement(By.id("new-key-value")).getText();
              return text.isBlank() ? null : text;
            });
    assertThat(createdKey).startsWith("API-");
    assertThat(browser.find(By.id("new-key")).getText()).contains("Store this key now");
    browser.screenshot("api-key-created");
    assertThat(callWithKey(createdKey)).isEqualTo(200);

    browser.go("/configuration/api-keys");
    browser.find(By.xpath("//td[normalize-space(.)='build server']"));
    assertThat(browser.pageSource()).doesNotContain(createdKey);
    browser.screenshot("api-keys");

    browser.click("Revoke");
    browser.driver().switchTo().alert().accept();
    // The page reloads after the revocation; read it once the new one is there.
    browser.await(
        d ->
            d.findElement(By.cssSelector("main")).getText().contains("You have no API keys")
                ? Boolean.TRUE
                : null);
    assertThat(callWithKey(createdKey)).isEqualTo(401);
  }

  @Test
  @Order(3)
  void aUser_isAddedAndChanged() {
    browser.go("/configuration/users");
    browser.type("Username", "vera");
    browser.type("Password", "short");
    browser.click("Add user");
    String error =
        browser.await(
            d -> {
              String text = d.findElement(By.id("u-password-error")).getText();
              return text.isBlank() ? null : text;
            });
    assertThat(error).contains("at least 8 characters");
    browser.screenshot("users-invalid");
    browser.type("Password", "vera-password-1");
    new Select(browser.byLabel("Role")).selectByVisibleText("Viewer");
    browser.type("Email", "vera@example.com");
    browser.click("Add user");
    browser.find(By.linkText("vera")).click();
    browser.find(By.xpath("//h1[normalize-space(.)='vera']"));
    new Select(browser.byLabel("Role")).selectByVisibleText("Deployer");
    browser.screenshot("user");
    browser.click("Save");
    browser.awaitPath("/configuration/users");
    assertThat(browser.find(By.cssSelector("main table")).getText()).contains("vera Deployer");
    browser.screenshot("users");
  }

  @Test
  @Order(4)
  void theAuditLog_listsTheChanges_newestFirst_andFilters() {
    browser.go("/configuration/audit");
    String events = browser.find(By.cssSelector("main table")).getText();
    assertThat(events).contains("ApiKeyCreated").contains("ApiKeyDeleted").contains("UserUpdated");
    assertThat(events.indexOf("UserUpdated")).isLessThan(events.indexOf("ApiKeyCreated"));
    assertThat(events).doesNotContain(createdKey).doesNotContain("vera-password-1");
    browser.screenshot("audit");

    browser.type("Category", "UserCreated");
    browser.click("Filter");
    browser.await(d -> d.getCurrentUrl().contains("category=UserCreated") ? Boolean.TRUE : null);
    String filtered = browser.find(By.cssSelector("main table")).getText();
    assertThat(filtered).contains("UserCreated").doesNotContain("ApiKeyCreated");
    browser.screenshot("audit-filtered");
  }

  private static int callWithKey(String key) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/users/me"))
                    .header("X-Sepia-ApiKey", key)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }
}
