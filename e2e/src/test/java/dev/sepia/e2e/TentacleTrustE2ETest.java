package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.e2e.tentacle.Cleanup;
import dev.sepia.e2e.tentacle.Ports;
import dev.sepia.e2e.tentacle.SepiaApi.HealthCheck;
import dev.sepia.e2e.tentacle.SepiaTentacleCli;
import dev.sepia.e2e.tentacle.ServerUnderTest;
import dev.sepia.e2e.tentacle.TentacleIdentities;
import dev.sepia.e2e.tentacle.TentacleResult;
import dev.sepia.e2e.tentacle.TestTentacle;
import dev.sepia.e2e.tentacle.Waits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Trust between a real server and real Tentacles, both ways: the Tentacle's trust commands change
 * whom it obeys once it restarts, the server refuses a polling Tentacle it does not know, and a
 * health check tells a refused certificate from an unexpected one and from a Tentacle that is not
 * running. The tests run in order against one server and one listening Tentacle.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Its tests share what the class starts, so they run one at a time; other classes run beside
// them. (@Execution(SAME_THREAD) would hold the other classes back as well.)
@ResourceLock("TentacleTrustE2ETest")
class TentacleTrustE2ETest {
  /** Another server's thumbprint: trusted by the Tentacle in some steps, presented by no one. */
  private static final String OTHER_SERVER = "5A".repeat(32);

  @TempDir static Path tmp;
  static ServerUnderTest server;
  static String serverThumbprint;
  static TestTentacle listening;
  static String listeningThumbprint;
  static int listeningPort;
  static String listeningId;
  static TestTentacle stranger;

  @BeforeAll
  static void installAServerAndARegisteredListeningTentacle() {
    server = ServerUnderTest.installAndStart(tmp, "Trust");
    serverThumbprint = server.api().serverThumbprint();
    listening =
        TestTentacle.create(new SepiaTentacleCli(tmp.resolve("web01-machine"), tmp), tmp, "Web01");
    listeningThumbprint = listening.importCertificate(TentacleIdentities.get(0));
    listeningPort = Ports.free();
    listening
        .run(
            "configure",
            "--port",
            Integer.toString(listeningPort),
            "--listenIpAddress",
            "127.0.0.1",
            "--trust=" + serverThumbprint)
        .succeeded();
    listening
        .run(
            "register-with",
            "--server",
            server.url(),
            "--apiKey",
            server.apiKey(),
            "--name",
            "web01",
            "--environment",
            "Production",
            "--role",
            "web",
            "--comms-style",
            "TentaclePassive",
            "--publicHostName",
            "127.0.0.1",
            "--tentacle-comms-port",
            Integer.toString(listeningPort))
        .succeeded();
    listening.run("service", "--install", "--start").succeeded();
    listeningId = server.api().machineNamed("web01").path("id").asText();
  }

  @AfterAll
  static void stopEverything() {
    Cleanup.closeAll(
        listening == null ? null : listening::killServiceIfRunning,
        stranger == null ? null : stranger::killServiceIfRunning,
        server);
  }

  @Test
  @Order(1)
  void registeredListeningTentacle_isHealthy() {
    HealthCheck check = server.api().checkHealth(listeningId);

    assertThat(check.status(listeningId)).as(check.toString()).isEqualTo("Healthy");
  }

  @Test
  @Order(2)
  void removeTrust_ofTheServer_takesEffectWhenTheTentacleRestarts_thenTheServerIsRefused() {
    listening.run("configure", "--trust=" + OTHER_SERVER).succeeded();
    TentacleResult removed =
        listening.run("configure", "--remove-trust=" + serverThumbprint).succeeded();
    assertThat(removed.stdout())
        .contains("No longer trusting server " + serverThumbprint)
        .contains("These changes require a restart of the Tentacle.");

    HealthCheck beforeRestart = server.api().checkHealth(listeningId);
    listening.run("service", "--restart").succeeded();
    HealthCheck afterRestart = server.api().checkHealth(listeningId);

    assertThat(beforeRestart.status(listeningId))
        .as("the running Tentacle keeps its trust until restarted: %s", beforeRestart)
        .isEqualTo("Healthy");
    assertThat(afterRestart.status(listeningId)).isEqualTo("Unavailable");
    assertThat(afterRestart.connectivity(listeningId))
        .as(afterRestart.toString())
        .isEqualTo("RefusesServerCertificate");
    assertThat(afterRestart.reason(listeningId))
        .contains("configure --reset-trust --trust=" + serverThumbprint);
  }

  @Test
  @Order(3)
  void updateTrust_fromAnOldThumbprintToTheServers_makesTheRestartedTentacleObeyIt() {
    TentacleResult updated =
        listening
            .run(
                "update-trust",
                "--oldThumbprint",
                OTHER_SERVER,
                "--newThumbprint",
                serverThumbprint)
            .succeeded();
    assertThat(updated.stdout()).contains("Replaced " + OTHER_SERVER + " with " + serverThumbprint);

    listening.run("service", "--restart").succeeded();
    HealthCheck check = server.api().checkHealth(listeningId);

    assertThat(check.status(listeningId)).as(check.toString()).isEqualTo("Healthy");
    assertThat(check.connectivity(listeningId)).isEqualTo("Connected");
  }

  @Test
  @Order(4)
  void removeTrust_ofTheOnlyServer_theTentacleRefusesToStart_andTheNextCheckFails() {
    listening.run("configure", "--remove-trust=" + serverThumbprint).succeeded();

    TentacleResult restart = listening.run("service", "--restart").exited(TentacleResult.FAILED);
    HealthCheck check = server.api().checkHealth(listeningId);

    assertThat(restart.error())
        .contains("trusts no server")
        .contains("configure --instance " + listening.name() + " --trust=");
    assertThat(check.status(listeningId)).isEqualTo("Unavailable");
    assertThat(check.connectivity(listeningId)).as(check.toString()).isEqualTo("Unreachable");

    listening.run("configure", "--trust=" + serverThumbprint).succeeded();
    listening.run("service", "--start").succeeded();
    assertThat(server.api().checkHealth(listeningId).status(listeningId)).isEqualTo("Healthy");
  }

  @Test
  @Order(5)
  void anUnregisteredPollingTentacle_isRefused_andTheServerLogNamesItsThumbprint() {
    stranger =
        TestTentacle.create(
            new SepiaTentacleCli(tmp.resolve("stranger-machine"), tmp), tmp, "Stranger");
    String strangerThumbprint = stranger.importCertificate(TentacleIdentities.get(1));
    stranger.run("configure", "--noListen", "true").succeeded();
    stranger
        .run(
            "server-comms",
            "--thumbprint",
            serverThumbprint,
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(server.commsPort()),
            "--style",
            "TentacleActive")
        .succeeded();

    stranger.run("service", "--install", "--start").succeeded();

    Waits.until(
        Duration.ofSeconds(30),
        () -> "the server to log the refused Tentacle; its log:\n" + server.log(),
        () ->
            server
                .log()
                .lines()
                .anyMatch(
                    line ->
                        line.contains(
                                "presented a certificate with thumbprint '"
                                    + strangerThumbprint
                                    + "'")
                            && line.contains("which this server does not trust")));
    Waits.until(
        Duration.ofSeconds(30),
        () -> "the Tentacle to log that the server refused it; its log:\n" + stranger.serviceLog(),
        () ->
            stranger
                .serviceLog()
                .contains("refused this Tentacle's certificate (thumbprint " + strangerThumbprint));
    stranger.run("service", "--stop").succeeded();
  }

  @Test
  @Order(6)
  void aListeningTargetRegisteredWithAnotherThumbprint_presentedAnUnexpectedCertificate() {
    String impostorId =
        server
            .api()
            .addListeningTarget(
                "web01-wrong-thumbprint",
                OTHER_SERVER,
                URI.create("https://127.0.0.1:" + listeningPort + "/"));

    HealthCheck check = server.api().checkHealth(impostorId);

    assertThat(check.status(impostorId)).isEqualTo("Unavailable");
    assertThat(check.connectivity(impostorId))
        .as(check.toString())
        .isEqualTo("PresentedUnexpectedCertificate");
    assertThat(check.reason(impostorId)).contains(listeningThumbprint);
  }

  @Test
  @Order(7)
  void aStoppedTentacle_isUnreachable_notRefusingTheServer() {
    listening.run("service", "--stop").succeeded();

    HealthCheck check = server.api().checkHealth(listeningId);

    assertThat(check.status(listeningId)).isEqualTo("Unavailable");
    assertThat(check.connectivity(listeningId)).as(check.toString()).isEqualTo("Unreachable");
    assertThat(check.reason(listeningId)).contains("Check that the Tentacle runs");
  }
}
