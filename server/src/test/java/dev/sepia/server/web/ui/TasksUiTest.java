package dev.sepia.server.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.crypto.Certificates;
import dev.sepia.server.TestServer;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The task history and a task's live log, with Retry and Cancel, in Chromium. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TasksUiTest {
  static final String PASSWORD = "correct-horse-battery";
  static final String MARKUP_NAME = "<b id=\"injected\">bold</b>";
  @TempDir static Path temp;
  static TestServer server;
  static Browser browser;
  static String firstTaskId;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    assertThat(
            server
                .post(
                    "/api/users",
                    Map.of("username", "dora", "password", PASSWORD, "role", "Deployer"))
                .status())
        .isEqualTo(201);
    // A listening Tentacle whose port nothing answers on; adding it queues its first check.
    assertThat(
            server
                .post(
                    "/api/machines",
                    Map.of(
                        "name",
                        MARKUP_NAME,
                        "thumbprint",
                        Certificates.generateSelfSigned("gone").thumbprint(),
                        "communicationStyle",
                        "TentaclePassive",
                        "uri",
                        "https://127.0.0.1:" + TestServer.freePort() + "/"))
                .status())
        .isEqualTo(201);
    JsonNode tasks = server.get("/api/tasks").body().get("items");
    firstTaskId = tasks.get(0).get("id").asText();
    server.awaitTask(firstTaskId);
    browser = Browser.open(server.baseUrl(), temp.resolve("chromium-profile"));
    browser.signIn("dora", PASSWORD);
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
  void theHistory_listsTheHealthCheck_withItsState() {
    browser.go("/tasks");
    String table = browser.find(By.cssSelector("main table")).getText();
    assertThat(table)
        .contains("Check the health of 1 target(s)")
        .contains("Failed")
        .contains("admin");
    browser.screenshot("tasks");
  }

  @Test
  @Order(2)
  void aFailedHealthCheck_showsItsWholeLogAsText_andCanBeRetried() {
    browser.go("/tasks");
    browser.find(By.cssSelector("a[href='/tasks/" + firstTaskId + "']")).click();
    browser.awaitPath("/tasks/" + firstTaskId);
    awaitEndOfLog();
    assertThat(browser.find(By.id("task-log")).getText())
        .contains("Checking 1 target(s)")
        .contains(MARKUP_NAME + ": Unavailable");
    assertThat(browser.driver().findElements(By.id("injected"))).isEmpty();
    assertThat(browser.find(By.id("task-log")).getAttribute("role")).isEqualTo("log");
    assertThat(browser.find(By.id("task-cancel")).isDisplayed()).isFalse();
    assertThat(browser.find(By.id("task-retry")).isDisplayed()).isTrue();

    browser.click("Retry");
    browser.await(
        d ->
            d.getCurrentUrl().contains("/tasks/ServerTasks-")
                    && !d.getCurrentUrl().endsWith(firstTaskId)
                ? Boolean.TRUE
                : null);
    awaitEndOfLog();
    assertThat(browser.find(By.id("task-state")).getText()).isEqualTo("Failed");
    assertThat(browser.find(By.id("task-error")).getText()).contains("not healthy");
    assertThat(server.get("/api/events?category=TaskRetried").body().get("totalResults").asInt())
        .isEqualTo(1);
    browser.screenshot("task-retried");
  }

  @Test
  @Order(3)
  void aRunningTask_canBeCancelledFromItsPage() throws Exception {
    // A port that takes connections but never answers keeps the check running until its timeout.
    try (ServerSocket silent = new ServerSocket(0)) {
      String id =
          server
              .post(
                  "/api/machines",
                  Map.of(
                      "name",
                      "silent",
                      "thumbprint",
                      Certificates.generateSelfSigned("silent").thumbprint(),
                      "communicationStyle",
                      "TentaclePassive",
                      "uri",
                      "https://127.0.0.1:" + silent.getLocalPort() + "/"))
              .body()
              .get("id")
              .asText();
      String taskId =
          server
              .post(
                  "/api/tasks",
                  Map.of("name", "Health", "arguments", Map.of("machineIds", List.of(id))))
              .body()
              .get("id")
              .asText();
      browser.go("/tasks/" + taskId);
      assertThat(browser.find(By.id("task-cancel")).isDisplayed()).isTrue();
      assertThat(browser.find(By.id("task-retry")).isDisplayed()).isFalse();
      browser.screenshot("task-running");
      browser.click("Cancel");
      browser.driver().switchTo().alert().accept();
      assertThat(server.awaitTask(taskId).get("isCompleted").asBoolean()).isTrue();
      browser.go("/tasks/" + taskId);
      awaitEndOfLog();
      assertThat(browser.find(By.id("task-cancel")).isDisplayed()).isFalse();
      assertThat(browser.find(By.id("task-retry")).isDisplayed()).isTrue();
    }
    int cancelled =
        server.get("/api/events?category=TaskCancelRequested").body().get("totalResults").asInt()
            + server.get("/api/events?category=TaskCancelled").body().get("totalResults").asInt();
    assertThat(cancelled).isEqualTo(1);
  }

  @Test
  @Order(4)
  void theHistory_isPaged() {
    browser.go("/tasks?take=1");
    assertThat(browser.find(By.cssSelector("main table tbody")).findElements(By.tagName("tr")))
        .hasSize(1);
    String newest = browser.find(By.cssSelector("main table tbody a")).getText();
    browser.find(By.linkText("Older")).click();
    browser.find(By.linkText("Newer"));
    assertThat(browser.driver().getCurrentUrl()).contains("skip=1");
    assertThat(browser.find(By.cssSelector("main table tbody")).findElements(By.tagName("tr")))
        .hasSize(1);
    assertThat(browser.find(By.cssSelector("main nav[aria-label='Pages of tasks']")).getText())
        .contains("2–2 of");
    assertThat(newest).isNotBlank();
    browser.screenshot("tasks-paged");
  }

  private static void awaitEndOfLog() {
    browser.await(d -> d.findElement(By.id("task-log-end")).isDisplayed() ? Boolean.TRUE : null);
  }
}
