package dev.sepia.tentacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceCommandsTest {
  @TempDir Path dir;
  TentacleCli cli;

  @BeforeEach
  void setUp() {
    cli = new TentacleCli(dir.resolve("machine"));
  }

  @Test
  void createInstance_writesDefaultsAndIsListed() throws Exception {
    Path config = dir.resolve("Tentacle.config.json");
    String out =
        cli.ok(
            "create-instance",
            "--instance",
            "Web01",
            "--config",
            config.toString(),
            "--home",
            dir.resolve("home").toString());

    assertThat(out).contains("Created instance 'Web01'.").contains("new-certificate");
    JsonNode settings = new ObjectMapper().readTree(config.toFile());
    assertThat(settings.get("Tentacle.Communication.ListenPort").asText()).isEqualTo("10933");
    assertThat(settings.get("Tentacle.Communication.ListenIpAddress").asText())
        .isEqualTo("0.0.0.0");
    assertThat(settings.get("Tentacle.Communication.NoListen").asText()).isEqualTo("false");
    assertThat(settings.get("Tentacle.Communication.TrustedServers").asText()).isEqualTo("[]");
    assertThat(settings.get("Tentacle.Home").asText()).isEqualTo(dir.resolve("home").toString());
    assertThat(settings.get("Tentacle.App").asText())
        .isEqualTo(dir.resolve("home").resolve("app").toString());
    assertThat(dir.resolve("home")).isDirectory();

    assertThat(cli.ok("list-instances"))
        .contains("Instance 'Web01' uses configuration '" + config + "'");
    JsonNode json = new ObjectMapper().readTree(cli.ok("list-instances", "--format", "json"));
    assertThat(json.get(0).get("name").asText()).isEqualTo("Web01");
    assertThat(json.get(0).get("configFile").asText()).isEqualTo(config.toString());
  }

  @Test
  void createInstance_twiceWithOneName_isRefusedAndLeavesTheFirst() {
    Path config = cli.createInstance("Web01", dir);
    byte[] before = TentacleCli.bytes(config);

    TentacleCli.Result again =
        cli.run(
            "create-instance",
            "--instance",
            "web01",
            "--config",
            dir.resolve("other.json").toString());

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
    assertThat(dir.resolve("other.json")).doesNotExist();
  }

  @Test
  void createInstance_withoutConfig_isBadUsage() {
    TentacleCli.Result r = cli.run("create-instance", "--instance", "X");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--config");
  }

  @Test
  void unknownInstance_isRefusedWithTheKnownOnes() {
    cli.createInstance("Web01", dir);

    TentacleCli.Result r = cli.run("show-configuration", "--instance", "Nope");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("There is no instance named 'Nope'").contains("Web01");
  }

  @Test
  void noInstanceAtAll_saysHowToCreateOne() {
    TentacleCli.Result r = cli.run("show-thumbprint");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("create-instance");
  }

  @Test
  void deleteInstance_unregistersButLeavesTheConfig() {
    Path config = cli.createInstance("Web01", dir);

    String out = cli.ok("delete-instance", "--instance", "Web01");

    assertThat(out).contains("Deleted instance 'Web01'");
    assertThat(config).exists();
    assertThat(cli.ok("list-instances"))
        .contains("No instances on this machine")
        .contains("sepia-tentacle create-instance");
  }

  @Test
  void instanceCanBeChosenByConfigFile() {
    Path config = cli.createInstance("Web01", dir);
    cli.createInstance("Web02", dir);

    String out = cli.ok("show-configuration", "--config", config.toString());

    assertThat(out).contains("Tentacle.Instance = Web01");
  }

  @Test
  void everyCommand_hasHelp() {
    for (String command :
        new String[] {
          "create-instance",
          "list-instances",
          "delete-instance",
          "new-certificate",
          "import-certificate",
          "show-thumbprint",
          "configure",
          "update-trust",
          "server-comms",
          "register-with",
          "deregister-from",
          "agent",
          "service",
          "show-configuration",
          "version"
        }) {
      TentacleCli.Result r = cli.run(command, "--help");
      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: sepia-tentacle " + command);
    }
    assertThat(cli.ok("--help")).contains("register-with").contains("server-comms");
  }

  @Test
  void unknownCommand_isBadUsage() {
    TentacleCli.Result r = cli.run("frobnicate");
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void service_withoutAnAction_isBadUsage_andStatusReportsNotInstalled() {
    cli.createInstance("Web01", dir);

    TentacleCli.Result none = cli.run("service", "--instance", "Web01");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("--install");

    assertThat(cli.ok("service", "--instance", "Web01", "--status"))
        .contains("sepia-tentacle-Web01: not installed");
  }

  @Test
  void service_start_withoutCertificate_isRefusedBeforeSpawning() {
    Path config = cli.createInstance("Web01", dir);
    cli.ok("service", "--instance", "Web01", "--install");

    TentacleCli.Result r = cli.run("service", "--instance", "Web01", "--start");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no certificate").contains("new-certificate");
    assertThat(config.getParent().resolve("Web01-home/service/service.pid")).doesNotExist();
    assertThat(Files.exists(config)).isTrue();
  }
}
