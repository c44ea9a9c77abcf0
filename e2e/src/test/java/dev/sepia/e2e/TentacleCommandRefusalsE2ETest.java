package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.e2e.tentacle.Ports;
import dev.sepia.e2e.tentacle.SepiaTentacleCli;
import dev.sepia.e2e.tentacle.TentacleIdentities;
import dev.sepia.e2e.tentacle.TentacleResult;
import dev.sepia.e2e.tentacle.TestTentacle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to sepia-tentacle, run as a process: each is refused with the documented exit code and
 * a message that says what is wrong and how to fix it, and leaves the config file byte for byte as
 * it was.
 */
class TentacleCommandRefusalsE2ETest {
  private static final String SERVER = "4F".repeat(32);

  @TempDir static Path tmp;
  static SepiaTentacleCli machine;
  static TestTentacle tentacle;
  static int port;

  @BeforeAll
  static void createATentacleThatTrustsAServer() {
    machine = new SepiaTentacleCli(tmp.resolve("machine"), tmp);
    tentacle = TestTentacle.create(machine, tmp, "Web01");
    tentacle.importCertificate(TentacleIdentities.get(0));
    port = Ports.free();
    tentacle
        .run(
            "configure",
            "--port",
            Integer.toString(port),
            "--listenIpAddress",
            "127.0.0.1",
            "--trust=" + SERVER)
        .succeeded();
  }

  @Test
  void configureTrust_withAMalformedThumbprint_isBadUsage_andChangesNothing() {
    byte[] before = tentacle.configBytes();

    for (String malformed : new String[] {"ABC", "Z".repeat(64), SERVER + "00"}) {
      TentacleResult refused =
          tentacle.run("configure", "--trust=" + malformed).exited(TentacleResult.BAD_USAGE);

      assertThat(refused.error())
          .contains("--trust")
          .contains("'" + malformed + "' is not a thumbprint")
          .contains("64 hexadecimal characters");
    }
    assertThat(tentacle.configBytes()).isEqualTo(before);
  }

  @Test
  void aCommandForAnUnknownInstance_failsNamingTheKnownOnes_andChangesNothing() throws Exception {
    byte[] before = tentacle.configBytes();
    Path registry = machine.machineDir().resolve("tentacle-instances.json");
    byte[] registryBefore = Files.readAllBytes(registry);

    TentacleResult refused =
        machine
            .run("configure", "--instance", "Web02", "--trust=" + "AB".repeat(32))
            .exited(TentacleResult.FAILED);

    assertThat(refused.error())
        .contains("There is no instance named 'Web02'")
        .contains("Known instances: Web01")
        .contains("create-instance --instance Web02");
    assertThat(tentacle.configBytes()).isEqualTo(before);
    assertThat(Files.readAllBytes(registry)).isEqualTo(registryBefore);
  }

  @Test
  void agent_onAPortAlreadyInUse_failsNamingThePortAndTheFlagThatChangesIt() throws Exception {
    byte[] before = tentacle.configBytes();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));

      TentacleResult refused =
          tentacle
              .cli()
              .start(List.of(), "agent", "--instance", "Web01")
              .awaitExit(Duration.ofSeconds(60))
              .exited(TentacleResult.FAILED);

      assertThat(refused.error())
          .contains("Cannot listen on port " + port)
          .contains("configure --instance Web01 --port");
    }
    assertThat(tentacle.configBytes()).isEqualTo(before);
  }

  @Test
  void registerWith_anUnreachableServer_failsSayingSo_andTrustsNothingNew() {
    byte[] before = tentacle.configBytes();
    String nobody = "http://127.0.0.1:" + Ports.free();

    TentacleResult refused =
        tentacle
            .run(
                "register-with",
                "--server",
                nobody,
                "--apiKey",
                "API-" + "X".repeat(32),
                "--name",
                "web01",
                "--environment",
                "Production",
                "--role",
                "web",
                "--publicHostName",
                "127.0.0.1")
            .exited(TentacleResult.FAILED);

    assertThat(refused.error())
        .contains("Could not reach the Sepia server at " + nobody)
        .contains("--server");
    assertThat(tentacle.configBytes()).isEqualTo(before);
  }
}
