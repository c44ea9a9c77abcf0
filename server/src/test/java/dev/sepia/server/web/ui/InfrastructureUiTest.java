package dev.sepia.server.web.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.server.TestServer;
import dev.sepia.server.model.machines.Connectivity;
import dev.sepia.server.model.machines.HealthStatus;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
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

/** Targets, their health, accounts and certificates, as an Administrator sees them in Chromium. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InfrastructureUiTest {
  static final String PASSWORD = "correct-horse-battery";
  static final String ACCOUNT_PASSWORD = "Account-Pa55word-never-shown";
  static final String DROP_PASSWORD = "Bundle-Pa55word-never-shown";
  @TempDir static Path temp;
  static TestServer server;
  static Browser browser;
  static String connectionString;

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
    assertThat(server.post("/api/environments", Map.of("name", "Production")).status())
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
  void theAddTentaclePage_showsTheServerThumbprint_andTheCommandsWithIt() {
    browser.go("/infrastructure");
    browser.find(By.xpath("//h1[normalize-space(.)='Infrastructure']"));
    assertThat(browser.find(By.cssSelector("main")).getText()).contains("No targets yet");
    browser.screenshot("infrastructure-empty");

    browser.go("/infrastructure/add-tentacle");
    assertThat(browser.find(By.id("server-thumbprint")).getText()).isEqualTo(server.thumbprint());
    assertThat(browser.find(By.id("listening-commands")).getText())
        .contains("sepia-tentacle configure --trust=" + server.thumbprint())
        .contains("sepia-tentacle service --install --start");
    assertThat(browser.find(By.id("polling-commands")).getText())
        .contains("--server " + server.baseUrl())
        .contains("--comms-style TentacleActive --server-comms-port " + server.pollingPort())
        .contains("--environment Production");
    assertThat(browser.find(By.id("public-url-hint")).getText())
        .contains(server.baseUrl())
        .contains("sepia-server configure --publicUrl");
    browser.screenshot("add-tentacle");

    // Tentacles reach the server by another name than the browser did: the commands use it.
    server.command("configure", "--instance", "Test", "--publicUrl", "https://sepia.example.com/");
    browser.go("/infrastructure/add-tentacle");
    assertThat(browser.find(By.id("polling-commands")).getText())
        .contains("--server https://sepia.example.com --apiKey")
        .doesNotContain(server.baseUrl());
    assertThat(browser.find(By.id("listening-register")).getText())
        .contains("--server https://sepia.example.com --apiKey");
    assertThat(browser.driver().findElements(By.id("public-url-hint"))).isEmpty();
    browser.go("/configuration");
    assertThat(browser.find(By.cssSelector("dl.facts")).getText())
        .contains("Public URL\nhttps://sepia.example.com");
    server.command("configure", "--instance", "Test", "--publicUrl", "none");
  }

  @Test
  @Order(2)
  void aListeningTentacle_addedByThumbprint_appearsOnInfrastructure() {
    CertificateWithKey tentacle = Certificates.generateSelfSigned("web01");
    browser.go("/infrastructure/add-tentacle");
    browser.type("Name", "web01");
    browser.type("Address", "https://127.0.0.1:" + TestServer.freePort() + "/");
    browser.type("Tentacle thumbprint", tentacle.thumbprint());
    new Select(browser.byLabel("Environments")).selectByVisibleText("Production");
    browser.type("Roles", "web, api");
    browser.click("Add Tentacle");
    browser.awaitPath("/infrastructure");
    browser.find(By.linkText("web01"));
    assertThat(browser.find(By.cssSelector("main table")).getText())
        .contains("Listening Tentacle")
        .contains("Production")
        .contains("web, api");
    browser.screenshot("infrastructure");
  }

  @Test
  @Order(3)
  void checkingHealth_followsTheTask_andTheTargetIsUnavailableBecauseUnreachable() {
    browser.go("/infrastructure");
    browser.find(By.linkText("web01")).click();
    browser.find(By.xpath("//h1[normalize-space(.)='web01']"));
    browser.click("Check health");
    browser.await(d -> d.getCurrentUrl().contains("/tasks/ServerTasks-") ? Boolean.TRUE : null);
    browser.await(d -> d.findElement(By.id("task-log-end")).isDisplayed() ? Boolean.TRUE : null);
    assertThat(browser.find(By.id("task-log")).getText())
        .contains("Checking 1 target(s)")
        .contains("web01: Unavailable");
    assertThat(browser.find(By.id("task-state")).getText()).isEqualTo("Failed");
    assertThat(browser.find(By.id("task-error")).getText()).contains("not healthy");
    browser.screenshot("task-health-failed");

    browser.go("/infrastructure");
    browser.find(By.linkText("web01")).click();
    String facts = browser.find(By.cssSelector("dl.facts")).getText();
    assertThat(facts).contains("Unavailable").contains("Unreachable").contains("Could not connect");
    browser.screenshot("target");
  }

  @Test
  @Order(4)
  void anAccountsPassword_isNeverSentToTheBrowser() {
    browser.go("/infrastructure/accounts");
    browser.find(By.linkText("Add a username and password")).click();
    browser.type("Name", "deploy");
    browser.type("Username", "deployer");
    browser.type("Password", ACCOUNT_PASSWORD);
    browser.screenshot("account-new");
    browser.click("Add account");
    browser.awaitPath("/infrastructure/accounts");
    browser.screenshot("accounts");
    browser.find(By.linkText("deploy")).click();
    browser.find(By.xpath("//h1[normalize-space(.)='deploy']"));
    assertThat(browser.pageSource()).doesNotContain(ACCOUNT_PASSWORD).contains("Set.");
    assertThat(browser.byLabel("Password").getAttribute("value")).isEmpty();
    browser.screenshot("account");

    // Saving without typing a password keeps the stored one.
    browser.type("Description", "Signs in to the web servers");
    browser.click("Save");
    browser.awaitPath("/infrastructure/accounts");
    var accounts = server.get("/api/accounts?name=deploy").body().get("items");
    assertThat(accounts.get(0).get("description").asText())
        .isEqualTo("Signs in to the web servers");
    assertThat(accounts.get(0).get("password").get("isSet").asBoolean()).isTrue();
  }

  @Test
  @Order(5)
  void anSshTarget_isAddedWithItsHostKeyAndAccount() {
    browser.go("/infrastructure/add-ssh");
    browser.type("Name", "db01");
    browser.type("Host", "127.0.0.1");
    browser.type("Port", Integer.toString(TestServer.freePort()));
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String fingerprint = "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(key);
    browser.type("Host key fingerprint", fingerprint);
    new Select(browser.byLabel("Account")).selectByVisibleText("deploy (username and password)");
    new Select(browser.byLabel("Environments")).selectByVisibleText("Production");
    browser.type("Roles", "db");
    browser.screenshot("target-new-ssh");
    browser.click("Add SSH target");
    browser.find(By.xpath("//h1[normalize-space(.)='db01']"));
    assertThat(browser.find(By.cssSelector("dl.facts")).getText())
        .contains("SSH")
        .contains(fingerprint)
        .contains("deploy");
    browser.screenshot("target-ssh");
  }

  @Test
  @Order(6)
  void anOfflineDrop_keepsItsBundlePasswordOutOfThePage() throws Exception {
    Path folder = Files.createDirectories(temp.resolve("drops/web09"));
    browser.go("/infrastructure/add-offline-drop");
    browser.type("Name", "web09");
    browser.type("Folder", folder.toAbsolutePath().toString());
    browser.type("Bundle password", DROP_PASSWORD);
    browser.screenshot("target-new-drop");
    browser.click("Add offline package drop");
    browser.find(By.xpath("//h1[normalize-space(.)='web09']"));
    assertThat(browser.pageSource()).doesNotContain(DROP_PASSWORD);
    assertThat(browser.find(By.cssSelector("dl.facts")).getText())
        .contains("Bundle password")
        .contains("set");

    // Renaming it without a password keeps the password.
    browser.type("Name", "web09-drop");
    browser.click("Save");
    browser.find(By.xpath("//h1[normalize-space(.)='web09-drop']"));
    assertThat(browser.pageSource()).doesNotContain(DROP_PASSWORD);
    browser.screenshot("target-drop");
  }

  @Test
  @Order(7)
  void anUploadedCertificate_showsItsFacts_butNoKey() throws Exception {
    CertificateWithKey certificate = Certificates.generateSelfSigned("shop.example.com");
    byte[] pfx = Certificates.toPkcs12(certificate, "pfx-pass".toCharArray(), "shop");
    Path file = temp.resolve("shop.pfx");
    Files.write(file, pfx);
    browser.go("/infrastructure/certificates");
    browser.type("Name", "shop-tls");
    browser.byLabel("Certificate file").sendKeys(file.toAbsolutePath().toString());
    browser.type("File password", "pfx-pass");
    browser.screenshot("certificates-upload");
    browser.click("Upload certificate");
    browser.find(By.xpath("//h1[normalize-space(.)='shop-tls']"));
    String facts = browser.find(By.cssSelector("dl.facts")).getText();
    assertThat(facts).contains("CN=shop.example.com").contains(certificate.thumbprint());
    String key =
        Base64.getEncoder().encodeToString(Certificates.encodePrivateKey(certificate.privateKey()));
    assertThat(browser.pageSource())
        .doesNotContain("PRIVATE KEY")
        .doesNotContain(key.substring(0, 40))
        .doesNotContain("pfx-pass");
    browser.screenshot("certificate");

    browser.type("Name", "shop-tls-2026");
    browser.click("Save");
    browser.find(By.xpath("//h1[normalize-space(.)='shop-tls-2026']"));
    browser.go("/infrastructure/certificates");
    assertThat(browser.find(By.cssSelector("main table")).getText())
        .contains("shop-tls-2026")
        .contains(certificate.thumbprint());
    browser.screenshot("certificates");
  }

  @Test
  @Order(8)
  void theAuditLog_listsTheChanges() {
    browser.go("/configuration/audit");
    String events = browser.find(By.cssSelector("main table")).getText();
    assertThat(events)
        .contains("MachineCreated")
        .contains("AccountCreated")
        .contains("AccountUpdated")
        .contains("CertificateUploaded")
        .contains("CertificateUpdated")
        .doesNotContain(ACCOUNT_PASSWORD)
        .doesNotContain(DROP_PASSWORD);
  }

  @Test
  @Order(9)
  void aTentacleThatRefusesTheServer_showsTheCommandThatFixesIt() {
    String id =
        server
            .post(
                "/api/machines",
                Map.of(
                    "name",
                    "web02",
                    "thumbprint",
                    Certificates.generateSelfSigned("web02").thumbprint(),
                    "communicationStyle",
                    "TentaclePassive",
                    "uri",
                    "https://127.0.0.1:" + TestServer.freePort() + "/"))
            .body()
            .get("id")
            .asText();
    String fix =
        "On the Tentacle run: sepia-tentacle service --stop; sepia-tentacle configure"
            + " --reset-trust --trust="
            + server.thumbprint()
            + "; sepia-tentacle service --start";
    // What a health check records when the Tentacle refuses this server's certificate.
    try (Database db = Database.open(connectionString, false)) {
      await(() -> !server.get("/api/machines/" + id).body().get("healthCheckedAt").isNull());
      new MachineStore(db.jdbi())
          .recordHealth(
              id,
              HealthStatus.Unavailable,
              Connectivity.RefusesServerCertificate,
              "The Tentacle refused this server's certificate (thumbprint "
                  + server.thumbprint()
                  + "). "
                  + fix,
              null);
    }
    browser.go("/infrastructure/targets/" + id);
    String warning =
        browser
            .find(By.cssSelector("[role=region][aria-label='The Tentacle refuses this server']"))
            .getText();
    assertThat(warning).contains("refuses this server's certificate");
    assertThat(browser.find(By.id("fix-trust-commands")).getText())
        .isEqualTo(
            "sepia-tentacle service --stop\nsepia-tentacle configure --reset-trust --trust="
                + server.thumbprint()
                + "\nsepia-tentacle service --start");
    assertThat(browser.find(By.cssSelector("dl.facts")).getText()).contains(fix);
    browser.screenshot("target-refuses-server");
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    browser.await(d -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }
}
