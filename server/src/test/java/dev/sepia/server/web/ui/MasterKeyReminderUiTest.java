package dev.sepia.server.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.platform.cli.CliRunner;
import dev.sepia.server.TestServer;
import dev.sepia.server.cli.ServerMain;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
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

/**
 * The master key reminder in Chromium: administrators see it until the current key is shown on the
 * server; other roles never do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MasterKeyReminderUiTest {
  static final String PASSWORD = "correct-horse-battery";
  @TempDir static Path temp;
  static TestServer server;
  static Browser browser;
  static String keyId;

  @BeforeAll
  static void start() {
    server = TestServer.start(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    for (String[] user : new String[][] {{"olivia", "Administrator"}, {"vera", "Viewer"}}) {
      assertThat(
              server
                  .post(
                      "/api/users",
                      Map.of("username", user[0], "password", PASSWORD, "role", user[1]))
                  .status())
          .isEqualTo(201);
    }
    keyId = server.get("/api/configuration/master-key-backup").body().get("currentKeyId").asText();
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
  void aViewer_neverSeesTheReminder() {
    browser.signIn("vera", PASSWORD);
    browser.awaitPath("/");
    browser.find(By.xpath("//h1[normalize-space(.)='Dashboard']"));
    assertThat(browser.driver().findElements(By.cssSelector(".banner"))).isEmpty();
    browser.click("Sign out");
    browser.awaitPath("/login");
  }

  @Test
  @Order(2)
  void anAdministrator_isReminded_withTheKeyIdAndTheCommands() {
    browser.signIn("olivia", PASSWORD);
    browser.awaitPath("/");
    assertThat(browser.find(By.cssSelector(".banner")).getText())
        .contains("Back up your master key")
        .contains("key id " + keyId)
        .contains("sepia-server show-master-key --instance Test --shares 5 --threshold 3")
        .contains("sepia-server export-master-key --instance Test --file FILE");
    assertThat(
            server.get("/api/configuration/master-key-backup").body().get("escrowed").asBoolean())
        .isFalse();
    browser.screenshot("master-key-reminder");
  }

  @Test
  @Order(3)
  void showingTheKeyOnTheServer_endsTheReminder() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine").toString());
    picocli.CommandLine cli = new picocli.CommandLine(new ServerMain(new ServerEnvironment(env)));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = CliRunner.execute(cli, new String[] {"show-master-key", "--instance", "Test"}, env);
    assertThat(exit).as(err.toString()).isZero();

    browser.go("/");
    browser.find(By.xpath("//h1[normalize-space(.)='Dashboard']"));
    assertThat(browser.driver().findElements(By.cssSelector(".banner"))).isEmpty();

    browser.go("/configuration");
    assertThat(
            browser.find(By.xpath("//h2[.='Master key backup']/following-sibling::p[1]")).getText())
        .contains("Backed up")
        .contains("key id " + keyId)
        .contains("printed in full by show-master-key")
        .contains("by cli:");
    var body = server.get("/api/configuration/master-key-backup").body();
    assertThat(body.get("escrowed").asBoolean()).isTrue();
    assertThat(body.get("lastEscrowedKeyId").asText()).isEqualTo(keyId);
    browser.screenshot("master-key-backed-up");
  }
}
