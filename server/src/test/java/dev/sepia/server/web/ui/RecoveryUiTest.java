package dev.sepia.server.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.crypto.Certificates;
import dev.sepia.server.TestServer;
import dev.sepia.server.model.recovery.SimulatedRecovery;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
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
 * The "Values to re-enter" page in Chromium, before and after a recovery from a lost master key:
 * the run's facts, the Tentacle commands with the new thumbprint, the targets that refuse this
 * server, and links to where each cleared value is entered again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryUiTest {
  static final String PASSWORD = "correct-horse-battery";
  static final String REPORT = "/var/lib/sepia/Reports/lost-master-key-20250131-093000.md";
  @TempDir static Path temp;
  static String connectionString;
  static TestServer server;
  static Browser browser;
  static String projectId;
  static String variableId;
  static String targetId;

  @BeforeAll
  static void start() {
    connectionString = TestDatabases.emptyDatabase(DatabaseKind.H2, temp);
    server = TestServer.start(temp, connectionString);
    assertThat(
            server
                .post(
                    "/api/users",
                    Map.of("username", "olivia", "password", PASSWORD, "role", "Administrator"))
                .status())
        .isEqualTo(201);
    projectId = server.post("/api/projects", Map.of("name", "Shop")).body().get("id").asText();
    assertThat(
            server
                .put(
                    "/api/projects/" + projectId + "/variables",
                    Map.of(
                        "variables",
                        List.of(
                            Map.of("name", "DbPassword", "value", "s3cret", "isSensitive", true))))
                .status())
        .isEqualTo(200);
    variableId =
        server
            .get("/api/projects/" + projectId + "/variables")
            .body()
            .get("variables")
            .get(0)
            .get("id")
            .asText();
    targetId =
        server
            .post(
                "/api/machines",
                Map.of(
                    "name",
                    "web01",
                    "thumbprint",
                    Certificates.generateSelfSigned("web01").thumbprint(),
                    "communicationStyle",
                    "TentaclePassive",
                    "uri",
                    "https://127.0.0.1:" + TestServer.freePort() + "/"))
            .body()
            .get("id")
            .asText();
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
  void onAHealthyServer_thePageExplainsWhatWouldFillIt() {
    browser.go("/recovery");
    browser.find(By.xpath("//h1[normalize-space(.)='Values to re-enter']"));
    String text = browser.find(By.id("main")).getText();
    assertThat(text)
        .contains("has never been recovered")
        .contains("sepia-server lost-master-key")
        .contains("docs/lost-master-key.md")
        .contains("sepia-server show-master-key --instance Test")
        .doesNotContain("sepia-tentacle configure");
    browser.screenshot("recovery-healthy");
    browser.go("/recovery/notice");
    assertThat(browser.find(By.tagName("body")).getText()).isBlank();
  }

  @Test
  @Order(2)
  void afterARecovery_thePageShowsTheRunTheTentacleCommandsAndTheValuesToReEnter() {
    // The first health check has run (and found nothing listening) before the refusal is recorded.
    await(() -> !server.get("/api/machines/" + targetId).body().get("healthCheckedAt").isNull());
    try (SimulatedRecovery recovery = SimulatedRecovery.open(connectionString)) {
      String run =
          recovery.run(Instant.parse("2025-01-31T09:30:00Z"), server.thumbprint(), REPORT, true);
      recovery.clear(
          run,
          EncryptedFieldCatalogue.SENSITIVE_VARIABLE,
          variableId,
          "Sensitive variable DbPassword in project Shop",
          "/projects/" + projectId + "/variables");
      recovery.refusesServerCertificate(targetId);
    }

    browser.go("/recovery");
    assertThat(browser.find(By.id("new-thumbprint")).getText()).isEqualTo(server.thumbprint());
    assertThat(browser.find(By.id("report-path")).getText()).isEqualTo(REPORT);
    assertThat(browser.find(By.id("tentacle-commands")).getText())
        .isEqualTo(
            "sepia-tentacle service --stop\n"
                + "sepia-tentacle configure --reset-trust --trust=\""
                + server.thumbprint()
                + "\"\n"
                + "sepia-tentacle service --start");

    WebElement refusing = browser.find(By.xpath("//tr[th/a[normalize-space(.)='web01']]"));
    assertThat(refusing.getText()).contains("--trust=\"" + server.thumbprint() + "\"");

    WebElement value =
        browser.find(By.xpath("//h3[starts-with(normalize-space(.),'Sensitive variable')]"));
    assertThat(value.getText()).isEqualTo("Sensitive variable (1)");
    assertThat(browser.find(By.id("main")).getText())
        .contains("Sensitive variable DbPassword in project Shop")
        .doesNotContain("s3cret");
    browser.screenshot("recovery-after");

    browser.go("/recovery/notice");
    assertThat(browser.find(By.id("recovery-notice")).getText())
        .contains("1 sensitive value was cleared");
    browser.screenshot("recovery-dashboard-notice");
  }

  @Test
  @Order(3)
  void theLinks_leadToTheTargetAndToWhereTheValueIsEnteredAgain() {
    browser.go("/recovery");
    browser.find(By.linkText("web01")).click();
    browser.awaitPath("/infrastructure/targets/" + targetId);
    browser.find(By.xpath("//h1[normalize-space(.)='web01']"));

    browser.go("/recovery");
    browser
        .find(
            By.cssSelector(
                "a[aria-label='Enter again: Sensitive variable DbPassword in project Shop']"))
        .click();
    browser.awaitPath("/projects/" + projectId + "/variables");
    browser.screenshot("recovery-link-to-variables");
  }

  @Test
  @Order(4)
  void aValueEnteredAgain_leavesThePage() {
    JsonNode variable =
        server.get("/api/projects/" + projectId + "/variables").body().get("variables").get(0);
    assertThat(
            server
                .put(
                    "/api/projects/" + projectId + "/variables",
                    Map.of(
                        "variables",
                        List.of(
                            Map.of(
                                "id",
                                variable.get("id").asText(),
                                "name",
                                "DbPassword",
                                "value",
                                "new-s3cret",
                                "isSensitive",
                                true))))
                .status())
        .isEqualTo(200);
    browser.go("/recovery");
    assertThat(browser.find(By.id("main")).getText())
        .contains("Nothing left to re-enter")
        .doesNotContain("DbPassword");
    browser.screenshot("recovery-all-reentered");
    browser.go("/recovery/notice");
    assertThat(browser.find(By.tagName("body")).getText()).isBlank();
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("The condition did not hold within a minute");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
