package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.e2e.tentacle.Cleanup;
import dev.sepia.e2e.tentacle.Ports;
import dev.sepia.e2e.tentacle.SepiaApi.HealthCheck;
import dev.sepia.e2e.tentacle.SepiaTentacleCli;
import dev.sepia.e2e.tentacle.ServerUnderTest;
import dev.sepia.e2e.tentacle.TentacleResult;
import dev.sepia.e2e.tentacle.TestTentacle;
import dev.sepia.e2e.tentacle.Together;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The Tentacle step of the "lost master key" runbook (the server's certificate changed, and every
 * Tentacle must be told to trust the new one), with a real server and a listening and a polling
 * Tentacle, each installed as an operator would and running as a service. The tests run in order:
 * install, replace the server's certificate, see what the operator sees, run the runbook's three
 * commands on each Tentacle, see them healthy again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Its tests share what the class starts, so they run one at a time; other classes run beside
// them. (@Execution(SAME_THREAD) would hold the other classes back as well.)
@ResourceLock("TentacleRunbookE2ETest")
class TentacleRunbookE2ETest {
  @TempDir static Path tmp;
  static ServerUnderTest server;
  static TestTentacle listening;
  static TestTentacle polling;
  static String listeningId;
  static String pollingId;
  static String oldThumbprint;
  static String newThumbprint;
  static HealthCheck afterReplacement;

  @BeforeAll
  static void installAServerAndTwoTentacles() {
    server = ServerUnderTest.installAndStart(tmp, "Hub");
    oldThumbprint = server.api().serverThumbprint();
    Together.run(
        TentacleRunbookE2ETest::installTheListeningTentacle,
        TentacleRunbookE2ETest::installThePollingTentacle);
  }

  private static void installTheListeningTentacle() {
    listening =
        TestTentacle.create(new SepiaTentacleCli(tmp.resolve("web01-machine"), tmp), tmp, "Web01");
    listening.newCertificate();
    int port = Ports.free();
    listening
        .run(
            "configure",
            "--port",
            Integer.toString(port),
            "--listenIpAddress",
            "127.0.0.1",
            "--trust=" + oldThumbprint)
        .succeeded();
    register(
        listening,
        "web01",
        "--comms-style",
        "TentaclePassive",
        "--publicHostName",
        "127.0.0.1",
        "--tentacle-comms-port",
        Integer.toString(port));
    listening.run("service", "--install", "--start").succeeded();
    listeningId = server.api().machineNamed("web01").path("id").asText();
  }

  private static void installThePollingTentacle() {
    polling =
        TestTentacle.create(new SepiaTentacleCli(tmp.resolve("web02-machine"), tmp), tmp, "Web02");
    polling.newCertificate();
    polling.run("configure", "--noListen", "true", "--trust=" + oldThumbprint).succeeded();
    register(
        polling,
        "web02",
        "--comms-style",
        "TentacleActive",
        "--server-comms-port",
        Integer.toString(server.commsPort()));
    polling.run("service", "--install", "--start").succeeded();
    pollingId = server.api().machineNamed("web02").path("id").asText();
  }

  private static void register(TestTentacle tentacle, String name, String... how) {
    String[] common = {
      "--server",
      server.url(),
      "--apiKey",
      server.apiKey(),
      "--name",
      name,
      "--environment",
      "Production",
      "--role",
      "web"
    };
    String[] all = new String[common.length + how.length];
    System.arraycopy(common, 0, all, 0, common.length);
    System.arraycopy(how, 0, all, common.length, how.length);
    tentacle.run("register-with", all).succeeded();
  }

  @AfterAll
  static void stopEverything() {
    Cleanup.closeAll(
        listening == null ? null : listening::killServiceIfRunning,
        polling == null ? null : polling::killServiceIfRunning,
        server);
  }

  @Test
  @Order(1)
  void installedTentacles_listeningAndPolling_areHealthy() {
    HealthCheck check = server.api().checkHealth(listeningId, pollingId);

    for (String id : new String[] {listeningId, pollingId}) {
      assertThat(check.status(id)).as(check.toString()).isEqualTo("Healthy");
      assertThat(check.connectivity(id)).as(check.toString()).isEqualTo("Connected");
    }
  }

  @Test
  @Order(2)
  void afterTheServerCertificateIsReplaced_theListeningTentacleRefusesIt_andTheFixIsPrinted() {
    String replaced = server.run("new-certificate", "--replace").succeeded().stdout();
    Matcher generated =
        Pattern.compile("generated with thumbprint: ([0-9A-F]{64})").matcher(replaced);
    assertThat(generated.find()).as(replaced).isTrue();
    newThumbprint = generated.group(1);
    server.run("service", "--restart").succeeded();
    assertThat(server.api().serverThumbprint())
        .isEqualTo(newThumbprint)
        .isNotEqualTo(oldThumbprint);

    afterReplacement = server.api().checkHealth(listeningId, pollingId);

    assertThat(afterReplacement.status(listeningId)).isEqualTo("Unavailable");
    assertThat(afterReplacement.connectivity(listeningId)).isEqualTo("RefusesServerCertificate");
    assertThat(afterReplacement.reason(listeningId))
        .contains("configure --reset-trust --trust=" + newThumbprint);
  }

  @Test
  @Order(3)
  void afterTheServerCertificateIsReplaced_thePollingTentacleIsUnavailable_andTheFixIsPrinted() {
    assertThat(afterReplacement.status(pollingId)).isEqualTo("Unavailable");
    assertThat(afterReplacement.reason(pollingId))
        .contains("configure --reset-trust --trust=" + newThumbprint);
  }

  @Test
  @Order(4)
  void eachTentacleLog_namesTheThumbprintPresented_andTheOneItTrusts() {
    for (TestTentacle tentacle : new TestTentacle[] {listening, polling}) {
      assertThat(tentacle.serviceLog())
          .as("the service log of %s", tentacle.name())
          .contains("presented a certificate with thumbprint '" + newThumbprint + "'")
          .contains("Trusted thumbprints: " + oldThumbprint);
    }
  }

  @Test
  @Order(5)
  void runbook_onTheListeningTentacle_makesItHealthyAgain() {
    runTheRunbookOn(listening);

    HealthCheck check = server.api().checkHealth(listeningId);

    assertThat(check.status(listeningId)).as(check.toString()).isEqualTo("Healthy");
    assertThat(check.connectivity(listeningId)).isEqualTo("Connected");
  }

  @Test
  @Order(6)
  void runbook_onThePollingTentacle_makesItHealthyAgain() {
    runTheRunbookOn(polling);

    HealthCheck check = server.api().checkHealth(pollingId);

    assertThat(check.status(pollingId)).as(check.toString()).isEqualTo("Healthy");
    assertThat(check.connectivity(pollingId)).isEqualTo("Connected");
  }

  /** Step 3 of the runbook, exactly as written there. */
  private static void runTheRunbookOn(TestTentacle tentacle) {
    tentacle.run("service", "--stop").succeeded();
    TentacleResult reset =
        tentacle.run("configure", "--reset-trust", "--trust=" + newThumbprint).succeeded();
    assertThat(reset.stdout())
        .contains("Removed all trusted servers: " + oldThumbprint)
        .contains("Trusting server " + newThumbprint);
    tentacle.run("service", "--start").succeeded();
  }
}
