package dev.sepia.server.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.server.TestServer;
import dev.sepia.server.engine.backups.BackupRetention;
import dev.sepia.server.engine.backups.BackupSettings;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The Backups page: the schedule as configured, Back up now, and the last result, in Chromium. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupsUiTest {
  static final String PASSWORD = "correct-horse-battery";
  @TempDir static Path temp;
  static TestServer server;
  static Browser browser;
  static Path folder;

  @BeforeAll
  static void start() {
    String connection = TestDatabases.emptyDatabase(DatabaseKind.H2, temp);
    server = TestServer.start(temp, connection);
    folder = temp.resolve("backups");
    // As "sepia-server configure --backupSchedule … --backupRetention … --backupFolder …" does.
    try (Database db = Database.open(connection, false)) {
      db.jdbi()
          .useTransaction(
              h -> {
                BackupSettings.saveSchedule(h, "30 1 * * *", Instant.now());
                BackupSettings.saveRetention(h, BackupRetention.parse("7"));
                BackupSettings.saveFolder(h, folder);
              });
    }
    for (String[] user : new String[][] {{"ada", "Administrator"}, {"vic", "Viewer"}}) {
      assertThat(
              server
                  .post(
                      "/api/users",
                      Map.of("username", user[0], "password", PASSWORD, "role", user[1]))
                  .status())
          .isEqualTo(201);
    }
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
  void aViewer_isNotShownBackups() {
    browser.signIn("vic", PASSWORD);
    browser.awaitPath("/");
    browser.go("/configuration");
    assertThat(browser.find(By.cssSelector("main")).getText()).doesNotContain("Backups");
    browser.go("/configuration/backups");
    assertThat(browser.find(By.cssSelector("main")).getText())
        .contains("Only administrators can see backups");
    assertThat(server.get("/api/configuration/backups").status()).isEqualTo(200); // admin key
    browser.go("/logout");
  }

  @Test
  @Order(2)
  void anAdministrator_seesTheScheduleRetentionFolderAndNextRun() {
    browser.signIn("ada", PASSWORD);
    browser.awaitPath("/");
    browser.go("/configuration");
    browser.find(By.linkText("Backups")).click();
    browser.awaitPath("/configuration/backups");
    assertThat(browser.find(By.id("backup-schedule")).getText())
        .contains("30 1 * * *")
        .contains("01:30");
    assertThat(browser.find(By.id("backup-retention")).getText())
        .isEqualTo("keep the newest 7 scheduled backup(s)");
    assertThat(browser.find(By.id("backup-folder")).getText()).isEqualTo(folder.toString());
    assertThat(browser.find(By.id("backup-next")).getText()).endsWith("UTC");
    assertThat(browser.find(By.id("backup-last")).getText()).isEqualTo("No backup has run yet.");
    browser.screenshot("backups");
  }

  @Test
  @Order(3)
  void backUpNow_runsATask_andThePageShowsTheLastResult() throws Exception {
    browser.go("/configuration/backups");
    browser.click("Back up now");
    browser.await(d -> d.getCurrentUrl().contains("/tasks/ServerTasks-") ? Boolean.TRUE : null);
    String taskId = browser.driver().getCurrentUrl().replaceAll(".*/tasks/", "");
    assertThat(server.awaitTask(taskId).get("state").asText()).isEqualTo("Success");

    browser.go("/configuration/backups");
    assertThat(browser.find(By.id("backup-last")).getText()).contains("Success");
    String success = browser.find(By.id("backup-last-success")).getText();
    Path written;
    try (Stream<Path> files = Files.list(folder)) {
      written = files.filter(f -> f.toString().endsWith(".zip")).findFirst().orElseThrow();
    }
    assertThat(success).contains(written.toString()).containsPattern("[0-9a-f]{64}");
    assertThat(Files.size(written)).isPositive();
    assertThat(
            server.get("/api/events?category=BackupRequested").body().get("totalResults").asInt())
        .isEqualTo(1);
    browser.screenshot("backups-after-run");
  }
}
