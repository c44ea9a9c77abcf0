package dev.sepia.server.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Signing in and out, the dashboard, environments and the master key reminder, in Chromium. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignInAndEnvironmentsUiTest {
  static final String PASSWORD = "correct-horse-battery";
  @TempDir static Path temp;
  static TestServer server;
  static Browser browser;

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
  void aPage_withoutSigningIn_leadsToTheSignInForm() {
    browser.go("/environments");
    browser.awaitPath("/login");
    assertThat(browser.driver().getCurrentUrl()).contains("next=%2Fenvironments");
  }

  @Test
  @Order(2)
  void aWrongPassword_isRefusedOnTheForm() {
    browser.signIn("olivia", "not-the-password");
    String alert =
        browser.await(
            d -> {
              String text = d.findElement(By.cssSelector("[data-error-summary]")).getText();
              return text.isBlank() ? null : text;
            });
    assertThat(alert).contains("Invalid username or password");
    browser.awaitPath("/login");
    browser.screenshot("sign-in-refused");
  }

  @Test
  @Order(3)
  void signingIn_opensTheDashboard_withTheMasterKeyReminder() {
    browser.signIn("olivia", PASSWORD);
    browser.awaitPath("/");
    browser.find(By.xpath("//h1[normalize-space(.)='Dashboard']"));
    assertThat(browser.find(By.cssSelector(".banner")).getText())
        .contains("Back up your master key")
        .contains("sepia-server show-master-key --instance Test");
    browser.screenshot("dashboard");
  }

  @Test
  @Order(4)
  void anEnvironment_isAddedFromItsPage_andAnEmptyNameIsShownNextToTheField() {
    browser.go("/environments");
    browser.click("Add environment");
    String error =
        browser.await(
            d -> {
              String text = d.findElement(By.id("env-name-error")).getText();
              return text.isBlank() ? null : text;
            });
    assertThat(error).isNotBlank();
    assertThat(browser.byLabel("Name").getAttribute("aria-invalid")).isEqualTo("true");
    browser.screenshot("environment-invalid");

    browser.type("Name", "Staging");
    browser.type("Description", "Where releases are tried first");
    browser.click("Add environment");
    browser.find(By.linkText("Staging"));
    assertThat(server.get("/api/environments?name=Staging").body().get("totalResults").asInt())
        .isEqualTo(1);
    browser.screenshot("environments");
  }

  @Test
  @Order(5)
  void acknowledgingTheReminder_hidesItForEveryone() {
    browser.go("/");
    browser.click("I have backed it up");
    browser.driver().switchTo().alert().accept();
    browser.await(d -> d.findElements(By.cssSelector(".banner")).isEmpty() ? Boolean.TRUE : null);
    assertThat(
            server.get("/api/events?category=MasterKeyEscrowed").body().get("totalResults").asInt())
        .isEqualTo(1);
    // Recorded for the key in use now, as kept by other means, by whom.
    var status = server.get("/api/configuration/master-key-backup").body();
    assertThat(status.get("escrowed").asBoolean()).isTrue();
    assertThat(status.get("lastEscrowedKeyId").asText())
        .isEqualTo(status.get("currentKeyId").asText());
    assertThat(status.get("lastEscrowedHow").asText()).contains("by other means");
    assertThat(status.get("lastEscrowedBy").asText()).isEqualTo("olivia");
  }

  @Test
  @Order(6)
  void signingOut_endsTheSession() {
    browser.go("/");
    browser.click("Sign out");
    browser.awaitPath("/login");
    browser.go("/environments");
    browser.awaitPath("/login");
  }
}
