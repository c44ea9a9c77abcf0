package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.comms.contract.Capabilities;
import dev.sepia.comms.contract.FileInfo;
import dev.sepia.comms.contract.ScriptLogLine;
import dev.sepia.comms.contract.ScriptState;
import dev.sepia.comms.contract.ScriptStatus;
import dev.sepia.comms.contract.StartScriptCommand;
import dev.sepia.comms.contract.TentacleClient;
import dev.sepia.comms.rpc.ConnectionLostException;
import dev.sepia.comms.rpc.ListeningClient;
import dev.sepia.comms.rpc.RpcChannel;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.e2e.tentacle.Cleanup;
import dev.sepia.e2e.tentacle.Dial;
import dev.sepia.e2e.tentacle.ForegroundTentacle;
import dev.sepia.e2e.tentacle.GeneratedFile;
import dev.sepia.e2e.tentacle.PollingHost;
import dev.sepia.e2e.tentacle.PortForwarder;
import dev.sepia.e2e.tentacle.Ports;
import dev.sepia.e2e.tentacle.Reconnecting;
import dev.sepia.e2e.tentacle.ScriptFollower;
import dev.sepia.e2e.tentacle.Scripts;
import dev.sepia.e2e.tentacle.SepiaTentacleCli;
import dev.sepia.e2e.tentacle.TentacleIdentities;
import dev.sepia.e2e.tentacle.TestServerIdentity;
import dev.sepia.e2e.tentacle.TestTentacle;
import dev.sepia.e2e.tentacle.Together;
import dev.sepia.e2e.tentacle.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What happens to real Tentacle processes when the network or a process fails: connections are cut
 * by a port forwarder between the test JVM (playing the server) and the Tentacles, the polling port
 * is restarted under connected Tentacles, and a listening Tentacle is restarted. Every wait is
 * bounded, so a hang fails the test instead of stalling the suite.
 */
// Its tests share what the class starts, so they run one at a time; other classes run beside
// them. (@Execution(SAME_THREAD) would hold the other classes back as well.)
@ResourceLock("TentacleFaultsE2ETest")
class TentacleFaultsE2ETest {
  /** Polling Tentacles back off for at most 30 s between attempts (docs/tentacle.md). */
  private static final Duration BACK_OFF_CAP = Duration.ofSeconds(30);

  private static final Duration RECONNECT = BACK_OFF_CAP.plusSeconds(15);
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path tmp;
  static TestTentacle listeningTentacle;
  static ForegroundTentacle listeningAgent;
  static PortForwarder toListening;
  static RpcChannel listeningChannel;
  static TentacleClient listening;

  static PollingHost pollingHost;
  static PortForwarder toPollingHost;
  static TestTentacle pollingTentacle;
  static ForegroundTentacle pollingAgent;
  static String pollingThumbprint;
  static TestTentacle directPollingTentacle;
  static ForegroundTentacle directPollingAgent;
  static String directPollingThumbprint;

  @BeforeAll
  static void startTentaclesBehindPortForwarders() {
    Together.run(
        TentacleFaultsE2ETest::startTheListeningTentacle,
        () -> {
          pollingTentacle =
              TestTentacle.create(
                  new SepiaTentacleCli(tmp.resolve("polling-machine"), tmp), tmp, "Poller");
          pollingThumbprint = pollingTentacle.importCertificate(TentacleIdentities.get(1));
        },
        () -> {
          directPollingTentacle =
              TestTentacle.create(
                  new SepiaTentacleCli(tmp.resolve("direct-polling-machine"), tmp),
                  tmp,
                  "DirectPoller");
          directPollingThumbprint =
              directPollingTentacle.importCertificate(TentacleIdentities.get(2));
        });
    pollingHost = PollingHost.start(List.of(pollingThumbprint, directPollingThumbprint));
    toPollingHost = PortForwarder.start(pollingHost.port());
    Together.run(
        () -> pollingAgent = startPolling(pollingTentacle, toPollingHost.port()),
        () -> directPollingAgent = startPolling(directPollingTentacle, pollingHost.port()));
  }

  private static void startTheListeningTentacle() throws Exception {
    listeningTentacle =
        TestTentacle.create(
            new SepiaTentacleCli(tmp.resolve("listening-machine"), tmp), tmp, "Listener");
    String thumbprint = listeningTentacle.importCertificate(TentacleIdentities.get(0));
    int port = Ports.free();
    listeningTentacle
        .run(
            "configure",
            "--port",
            Integer.toString(port),
            "--listenIpAddress",
            "127.0.0.1",
            "--trust=" + TestServerIdentity.thumbprint())
        .succeeded();
    listeningAgent = listeningTentacle.startAgent();
    toListening = PortForwarder.start(port);
    listeningChannel =
        ListeningClient.connect(
            URI.create("https://127.0.0.1:" + toListening.port() + "/"),
            TestServerIdentity.get(),
            thumbprint,
            TrustRejectionListener.LOG,
            Duration.ofSeconds(10));
    listening = new TentacleClient(listeningChannel);
  }

  private static ForegroundTentacle startPolling(TestTentacle tentacle, int port) {
    tentacle.run("configure", "--noListen", "true").succeeded();
    tentacle
        .run(
            "server-comms",
            "--thumbprint",
            TestServerIdentity.thumbprint(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port),
            "--style",
            "TentacleActive")
        .succeeded();
    return tentacle.startAgent();
  }

  @AfterAll
  static void stopEverything() {
    Cleanup.closeAll(
        listeningChannel,
        toListening,
        listeningAgent,
        pollingHost,
        toPollingHost,
        pollingAgent,
        directPollingAgent);
  }

  @ParameterizedTest
  @EnumSource(Dial.class)
  void connectionCut_midScript_theScriptKeepsRunning_andItsLogContinuesAfterReconnecting(Dial dial)
      throws Exception {
    PortForwarder link = link(dial);
    String ticket = Scripts.ticket("cut-script");
    Path marker = tmp.resolve("runs-" + ticket);
    StartScriptCommand start =
        Scripts.countingRuns(
            ticket, marker, "for i in $(seq 1 20); do echo \"tick $i\"; sleep 0.2; done");
    client(dial).startScript(start);
    ScriptFollower follower =
        ScriptFollower.followAcrossReconnects(client(dial), ticket, RECONNECT)
            .untilOutput("tick 3", SCRIPT_TIMEOUT);
    long seenBeforeTheCut = follower.lastSequence();
    int connectionsBefore = link.acceptedCount();

    link.refuseNew();
    link.cutAll();
    Path output = tentacle(dial).workFolder().resolve(ticket).resolve("output.log");
    Waits.until(
        Duration.ofSeconds(20),
        "the script to go on printing on the Tentacle while the server cannot reach it",
        () -> contains(output, "tick 12"));
    link.acceptNew();
    ScriptStatus end = follower.untilFinished(SCRIPT_TIMEOUT);
    ScriptStatus startedAgain = Reconnecting.call(RECONNECT, () -> client(dial).startScript(start));

    assertThat(end.state()).as(follower.describe()).isEqualTo(ScriptState.COMPLETE);
    assertThat(end.exitCode()).isZero();
    assertThat(follower.texts(ScriptLogLine.STDOUT))
        .as("every line once, in order, across the cut")
        .containsExactlyElementsOf(
            IntStream.rangeClosed(1, 20).mapToObj(i -> "tick " + i).toList());
    assertThat(follower.lines())
        .filteredOn(line -> line.sequence() > seenBeforeTheCut)
        .first()
        .extracting(ScriptLogLine::sequence)
        .as("the first line read after reconnecting")
        .isEqualTo(seenBeforeTheCut + 1);
    assertThat(link.acceptedCount())
        .as("reconnected through the forwarder")
        .isGreaterThan(connectionsBefore);
    assertThat(startedAgain.state()).isEqualTo(ScriptState.COMPLETE);
    assertThat(Scripts.runs(marker)).as("times the script ran").isEqualTo(1);
    client(dial).complete(ticket);
  }

  @ParameterizedTest
  @EnumSource(Dial.class)
  void connectionCut_midUpload_failsClearly_leavesNoPartialFile_andARetrySucceeds(Dial dial)
      throws Exception {
    PortForwarder link = link(dial);
    String name = "upload-" + dial.name().toLowerCase() + ".bin";
    GeneratedFile file = GeneratedFile.write(tmp.resolve(name), 24L * 1024 * 1024, 24);
    String remote = "cut/" + name;
    Path folder = tentacle(dial).filesFolder().resolve("cut");
    link.throttle(4L * 1024 * 1024);
    try {
      CompletableFuture<FileInfo> upload =
          CompletableFuture.supplyAsync(() -> uploadUnchecked(client(dial), remote, file.path()));
      Waits.until(
          Duration.ofSeconds(30),
          () -> "the first megabyte to reach the Tentacle; upload " + upload,
          () -> bytesIn(folder) > 1024 * 1024);
      link.cutAll();
      Throwable failure = failureOf(upload, Duration.ofSeconds(30));

      assertThat(failure)
          .as("how the cut upload failed")
          .isInstanceOf(ConnectionLostException.class)
          .hasMessageMatching("The connection to the .*Tentacle .* (is closed|was lost)\\b.*");
      Waits.until(
          Duration.ofSeconds(15),
          () -> "no partial upload to be left on the Tentacle; found " + filesIn(folder),
          () -> filesIn(folder).isEmpty());
    } finally {
      link.throttle(0);
    }
    FileInfo stored = Reconnecting.call(RECONNECT, () -> client(dial).upload(remote, file.path()));

    assertThat(stored.sha256()).isEqualTo(file.sha256());
    assertThat(filesIn(folder)).containsExactly(folder.resolve(name));
    assertThat(GeneratedFile.sha256Of(folder.resolve(name))).isEqualTo(file.sha256());
  }

  @Test
  void pollingPortRestarted_connectedTentaclesReconnectWithinTheBackOff_andCallsWorkAgain()
      throws Exception {
    List<String> tentacles = List.of(pollingThumbprint, directPollingThumbprint);
    Waits.until(
        RECONNECT,
        "both polling Tentacles to be connected",
        () -> tentacles.stream().allMatch(pollingHost::isConnected));

    long restarted = System.nanoTime();
    pollingHost.restart();
    Waits.until(
        RECONNECT,
        "both polling Tentacles to connect to the restarted polling port",
        () -> tentacles.stream().allMatch(pollingHost::isConnected));
    Duration reconnected = Duration.ofNanos(System.nanoTime() - restarted);

    assertThat(reconnected).isLessThanOrEqualTo(BACK_OFF_CAP);
    for (String thumbprint : tentacles) {
      TentacleClient tentacle = pollingHost.client(thumbprint, RECONNECT);
      String ticket = Scripts.ticket("after-restart");
      tentacle.startScript(Scripts.bash(ticket, "echo still here"));
      ScriptFollower follower = ScriptFollower.follow(tentacle, ticket);
      follower.untilFinished(SCRIPT_TIMEOUT);

      assertThat(tentacle.capabilities().methods()).contains("scripts.start");
      assertThat(follower.texts(ScriptLogLine.STDOUT)).containsExactly("still here");
      tentacle.complete(ticket);
    }
  }

  @Test
  void listeningTentacleRestarted_theNextCallReconnects_andAScriptStartedBeforeDoesNotRunAgain()
      throws Exception {
    String ticket = Scripts.ticket("before-restart");
    Path marker = tmp.resolve("runs-" + ticket);
    StartScriptCommand start = Scripts.countingRuns(ticket, marker, "echo started\nsleep 300");
    listening.startScript(start);
    ScriptFollower.follow(listening, ticket).untilOutput("started", SCRIPT_TIMEOUT);

    listeningAgent.stop(Duration.ofSeconds(30));
    listeningAgent = listeningTentacle.startAgent();
    ScriptStatus startedAgain = listening.startScript(start);
    Capabilities capabilities = listening.capabilities();

    assertThat(startedAgain.state())
        .as("the ticket's state after the restart: %s", startedAgain)
        .matches(ScriptState::isFinished);
    assertThat(Scripts.runs(marker)).as("times the script ran").isEqualTo(1);
    assertThat(capabilities.methods()).contains("scripts.start");
    listening.complete(ticket);
  }

  private static PortForwarder link(Dial dial) {
    return dial == Dial.LISTENING ? toListening : toPollingHost;
  }

  private static TentacleClient client(Dial dial) {
    return dial == Dial.LISTENING ? listening : pollingHost.client(pollingThumbprint, RECONNECT);
  }

  private static TestTentacle tentacle(Dial dial) {
    return dial == Dial.LISTENING ? listeningTentacle : pollingTentacle;
  }

  private static FileInfo uploadUnchecked(TentacleClient tentacle, String remote, Path file) {
    try {
      return tentacle.upload(remote, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How the future failed, unwrapped; fails if it succeeded or is still running after timeout. */
  private static Throwable failureOf(CompletableFuture<?> future, Duration timeout)
      throws InterruptedException {
    try {
      Object result = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("Expected the upload to fail, but it succeeded: " + result);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return cause instanceof UncheckedIOException unchecked ? unchecked.getCause() : cause;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("The cut upload neither failed nor finished within " + timeout);
    }
  }

  private static boolean contains(Path file, String text) {
    try {
      return Files.exists(file) && Files.readString(file).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private static List<Path> filesIn(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long bytesIn(Path folder) {
    return filesIn(folder).stream()
        .mapToLong(
            file -> {
              try {
                return Files.size(file);
              } catch (IOException e) {
                return 0;
              }
            })
        .sum();
  }
}
