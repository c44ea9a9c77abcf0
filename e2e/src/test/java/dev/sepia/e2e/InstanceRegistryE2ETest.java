package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** create-instance, list-instances and delete-instance, on one machine's registry. */
class InstanceRegistryE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  SepiaServerCli machine;

  @BeforeEach
  void setUp() {
    machine = new SepiaServerCli(tmp.resolve("machineA"), tmp);
  }

  @Test
  void createInstance_printsConfigAndHome_andWritesAConfigOnlyItsOwnerCanRead() throws Exception {
    Path config = tmp.resolve("shop").resolve("Shop.config.json");
    Path home = tmp.resolve("shop-home");

    CliResult created =
        machine
            .run(
                "create-instance",
                "--instance",
                "Shop",
                "--config",
                config.toString(),
                "--home",
                home.toString())
            .succeeded();

    assertThat(created.stdout())
        .contains("Created instance 'Shop'")
        .contains("Config: " + config)
        .contains("Home:   " + home);
    assertThat(config).exists();
    assertThat(Files.getPosixFilePermissions(config).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");
    assertThat(machine.run("list-instances").succeeded().out())
        .isEqualTo("Instance 'Shop' uses configuration '" + config + "'");
  }

  @Test
  void createInstance_withANameAlreadyTaken_isRefusedAndChangesNothing() throws Exception {
    TestInstance first = TestInstance.create(machine, tmp, "Shop");
    Path registry = machine.machineDir().resolve("server-instances.json");
    byte[] registryBefore = Files.readAllBytes(registry);
    Path otherConfig = tmp.resolve("other").resolve("Shop.config.json");

    CliResult refused =
        machine
            .run("create-instance", "--instance", "Shop", "--config", otherConfig.toString())
            .exited(CliResult.FAILED);

    assertThat(refused.error())
        .contains("An instance named 'Shop' already exists")
        .contains(first.configFile().toString())
        .contains("delete-instance --instance Shop");
    assertThat(otherConfig).doesNotExist();
    assertThat(Files.readAllBytes(registry)).isEqualTo(registryBefore);
  }

  @Test
  void createInstance_overAnExistingConfigFile_isRefusedAndLeavesTheFileAlone() throws Exception {
    Path config = tmp.resolve("precious.config.json");
    Files.writeString(config, "{\"someone\": \"else's\"}");

    CliResult refused =
        machine
            .run("create-instance", "--instance", "Shop", "--config", config.toString())
            .exited(CliResult.FAILED);

    assertThat(refused.error()).contains("The config file " + config + " already exists");
    assertThat(Files.readString(config)).isEqualTo("{\"someone\": \"else's\"}");
    assertThat(machine.run("list-instances").succeeded().out()).doesNotContain("'Shop'");
  }

  @Test
  void listInstances_showsEveryInstance_asTextAndAsJson() throws Exception {
    TestInstance shop = TestInstance.create(machine, tmp, "Shop");
    TestInstance blog = TestInstance.create(machine, tmp, "Blog");

    assertThat(machine.run("list-instances").succeeded().stdout().lines())
        .containsExactlyInAnyOrder(
            "Instance 'Shop' uses configuration '" + shop.configFile() + "'",
            "Instance 'Blog' uses configuration '" + blog.configFile() + "'");

    JsonNode json = JSON.readTree(machine.run("list-instances", "--format", "json").stdout());
    assertThat(json.isArray()).isTrue();
    assertThat(json)
        .extracting(node -> node.get("name").asText() + "=" + node.get("configFile").asText())
        .containsExactlyInAnyOrder("Shop=" + shop.configFile(), "Blog=" + blog.configFile());
  }

  @Test
  void deleteInstance_removesItFromTheRegistry_butLeavesItsConfigFile() throws Exception {
    TestInstance shop = TestInstance.create(machine, tmp, "Shop");
    TestInstance blog = TestInstance.create(machine, tmp, "Blog");
    String configBefore = shop.configFileContent();

    CliResult deleted = shop.run("delete-instance").succeeded();

    assertThat(deleted.stdout())
        .contains("Deleted instance 'Shop'")
        .contains(shop.configFile().toString());
    assertThat(shop.configFileContent()).isEqualTo(configBefore);
    assertThat(machine.run("list-instances").succeeded().out())
        .isEqualTo("Instance 'Blog' uses configuration '" + blog.configFile() + "'");
  }

  @Test
  void deleteInstance_ofAnUnknownName_isRefusedNamingTheKnownInstances() throws Exception {
    TestInstance.create(machine, tmp, "Shop");
    TestInstance.create(machine, tmp, "Blog");
    Path registry = machine.machineDir().resolve("server-instances.json");
    byte[] registryBefore = Files.readAllBytes(registry);

    CliResult refused =
        machine.run("delete-instance", "--instance", "Shopp").exited(CliResult.FAILED);

    assertThat(refused.error())
        .contains("There is no instance named 'Shopp'")
        .contains("Shop")
        .contains("Blog");
    assertThat(Files.readAllBytes(registry)).isEqualTo(registryBefore);
  }
}
