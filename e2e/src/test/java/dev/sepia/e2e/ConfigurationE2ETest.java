package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.SharedPostgres;
import dev.sepia.e2e.support.TestInstance;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** configure and show-configuration. */
class ConfigurationE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  SepiaServerCli machine;

  @BeforeEach
  void setUp() {
    machine = new SepiaServerCli(tmp.resolve("machineA"), tmp);
  }

  @Test
  void configure_printsTheChangesAndThatTheyNeedARestart_andShowConfigurationReflectsThem()
      throws Exception {
    TestInstance shop = TestInstance.create(machine, tmp, "Shop");
    Path newHome = tmp.resolve("elsewhere");

    CliResult configured =
        shop.run(
                "configure",
                "--webListenPrefixes",
                "http://0.0.0.0:18050",
                "--commsListenPort",
                "10999",
                "--serverNodeName",
                "node-7",
                "--home",
                newHome.toString())
            .succeeded();

    assertThat(configured.stdout())
        .contains("http://0.0.0.0:18050")
        .contains("10999")
        .contains("node-7")
        .contains(newHome.toString())
        .contains("require a restart");
    assertThat(shop.run("show-configuration").succeeded().stdout().lines())
        .contains(
            "Sepia.WebPortal.ListenPrefixes = http://0.0.0.0:18050",
            "Sepia.Communications.ServicesPort = 10999",
            "Sepia.Server.NodeName = node-7",
            "Sepia.Home = " + newHome);
    JsonNode json = JSON.readTree(shop.run("show-configuration", "--format", "json").stdout());
    assertThat(json.get("Sepia.WebPortal.ListenPrefixes").asText())
        .isEqualTo("http://0.0.0.0:18050");
    assertThat(json.get("Sepia.Communications.ServicesPort").asText()).isEqualTo("10999");
    assertThat(json.get("Sepia.Server.NodeName").asText()).isEqualTo("node-7");
    assertThat(json.get("Sepia.Home").asText()).isEqualTo(newHome.toString());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--commsListenPort, 70000, between 1 and 65535",
    "--commsListenPort, 0, between 1 and 65535",
    "--webListenPrefixes, ftp://x, the scheme must be http",
  })
  void configure_withAnInvalidValue_isBadUsageAndTheConfigIsUnchanged(
      String flag, String value, String explanation) {
    TestInstance shop = TestInstance.create(machine, tmp, "Shop");
    String configBefore = shop.configFileContent();

    CliResult refused = shop.run("configure", flag, value).exited(CliResult.BAD_USAGE);

    assertThat(refused.error()).contains(explanation);
    assertThat(shop.configFileContent()).isEqualTo(configBefore);
  }

  @Test
  void showConfiguration_neverPrintsTheMasterKey() {
    TestInstance shop =
        TestInstance.withNewDatabase(machine, tmp, "Shop", Engine.H2.newDatabase(tmp));
    String key = shop.masterKey();

    CliResult text = shop.run("show-configuration").succeeded();
    CliResult json = shop.run("show-configuration", "--format", "json").succeeded();

    for (CliResult shown : new CliResult[] {text, json}) {
      assertThat(shown.stdout())
          .as("%s", shown.command())
          .contains("Sepia.Storage.MasterKey")
          .doesNotContain(key);
      assertThat(shown.stderr()).doesNotContain(key);
    }
  }

  @Test
  void postgresqlPassword_isMaskedByShowConfiguration_andNeverPrinted() {
    // The embedded PostgreSQL trusts local connections, so any password is accepted.
    String url = SharedPostgres.newEmptyDatabase() + "&password=hunter2";
    TestInstance shop = TestInstance.create(machine, tmp, "Shop");
    CliResult created = shop.run("database", "--connectionString", url, "--create").succeeded();
    CliResult again = shop.run("database", "--connectionString", url).succeeded();

    CliResult text = shop.run("show-configuration").succeeded();
    CliResult json = shop.run("show-configuration", "--format", "json").succeeded();

    for (CliResult shown : new CliResult[] {created, again, text, json}) {
      assertThat(shown.stdout()).as("%s", shown.command()).doesNotContain("hunter2");
      assertThat(shown.stderr()).doesNotContain("hunter2");
    }
    for (CliResult shown : new CliResult[] {text, json}) {
      assertThat(shown.stdout()).as("%s", shown.command()).contains("jdbc:postgresql://localhost:");
    }
    assertThat(shop.configFileContent()).doesNotContain("hunter2");
  }
}
