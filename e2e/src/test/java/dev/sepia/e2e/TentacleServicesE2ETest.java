package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.comms.contract.FileInfo;
import dev.sepia.comms.contract.ScriptLogLine;
import dev.sepia.comms.contract.ScriptState;
import dev.sepia.comms.contract.ScriptStatus;
import dev.sepia.comms.contract.StartScriptCommand;
import dev.sepia.comms.contract.TentacleClient;
import dev.sepia.comms.rpc.ListeningClient;
import dev.sepia.comms.rpc.RpcChannel;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.e2e.tentacle.Cleanup;
import dev.sepia.e2e.tentacle.Dial;
import dev.sepia.e2e.tentacle.ForegroundTentacle;
import dev.sepia.e2e.tentacle.GeneratedFile;
import dev.sepia.e2e.tentacle.PollingHost;
import dev.sepia.e2e.tentacle.Ports;
import dev.sepia.e2e.tentacle.ScriptFollower;
import dev.sepia.e2e.tentacle.Scripts;
import dev.sepia.e2e.tentacle.SepiaTentacleCli;
import dev.sepia.e2e.tentacle.TentacleIdentities;
import dev.sepia.e2e.tentacle.TestServerIdentity;
import dev.sepia.e2e.tentacle.TestTentacle;
import dev.sepia.e2e.tentacle.Together;
import dev.sepia.e2e.tentacle.Waits;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The script and file services of real Tentacle processes, one listening and one polling, with the
 * test JVM playing the server through the comms library. Both agents run with a 64 MB heap, so
 * moving a 200 MB file through them proves that they stream it.
 */
// Its tests share what the class starts, so they run one at a time; other classes run beside
// them. (@Execution(SAME_THREAD) would hold the other classes back as well.)
@ResourceLock("TentacleServicesE2ETest")
class TentacleServicesE2ETest {
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);
  private static final long LARGE_FILE_BYTES = 200L * 1024 * 1024;
  private static final String SMALL_HEAP = "-Xmx64m";

  @TempDir static Path tmp;
  static TestTentacle listeningTentacle;
  static TestTentacle pollingTentacle;
  static ForegroundTentacle listeningAgent;
  static ForegroundTentacle pollingAgent;
  static RpcChannel listeningChannel;
  static PollingHost pollingHost;
  static TentacleClient listening;
  static TentacleClient polling;
  static GeneratedFile largeFile;

  @BeforeAll
  static void startAListeningAndAPollingTentacle() {
    Together.run(
        TentacleServicesE2ETest::startTheListeningTentacle,
        TentacleServicesE2ETest::startThePollingTentacle);
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
    listeningAgent = listeningTentacle.startAgent(SMALL_HEAP);
    listeningChannel =
        ListeningClient.connect(
            URI.create("https://127.0.0.1:" + port + "/"),
            TestServerIdentity.get(),
            thumbprint,
            TrustRejectionListener.LOG,
            Duration.ofSeconds(10));
    listening = new TentacleClient(listeningChannel);
  }

  private static void startThePollingTentacle() {
    pollingTentacle =
        TestTentacle.create(
            new SepiaTentacleCli(tmp.resolve("polling-machine"), tmp), tmp, "Poller");
    String thumbprint = pollingTentacle.importCertificate(TentacleIdentities.get(1));
    pollingHost = PollingHost.start(List.of(thumbprint));
    pollingTentacle.run("configure", "--noListen", "true").succeeded();
    pollingTentacle
        .run(
            "server-comms",
            "--thumbprint",
            TestServerIdentity.thumbprint(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(pollingHost.port()),
            "--style",
            "TentacleActive")
        .succeeded();
    pollingAgent = pollingTentacle.startAgent(SMALL_HEAP);
    polling = pollingHost.client(thumbprint, Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopEverything() {
    Cleanup.closeAll(listeningChannel, listeningAgent, pollingHost, pollingAgent);
  }

  @ParameterizedTest
  @EnumSource(Dial.class)
  void scriptOutput_arrivesWhileTheScriptRuns_inOrder_withIncreasingSequenceNumbers(Dial dial)
      throws Exception {
    TentacleClient tentacle = client(dial);
    String ticket = Scripts.ticket("stream");

    ScriptStatus started =
        tentacle.startScript(
            Scripts.bash(
                ticket,
                """
                for i in 1 2 3 4 5; do echo "line $i"; sleep 0.3; done
                echo "a warning" >&2
                """));
    ScriptFollower follower = ScriptFollower.follow(tentacle, ticket);
    ScriptStatus end = follower.untilFinished(SCRIPT_TIMEOUT);

    assertThat(started.ticket()).isEqualTo(ticket);
    assertThat(follower.sawOutputWhileRunning())
        .as("output reached the server before the script ended: %s", follower.describe())
        .isTrue();
    assertThat(follower.texts(ScriptLogLine.STDOUT))
        .containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
    assertThat(follower.texts(ScriptLogLine.STDERR)).containsExactly("a warning");
    assertThat(follower.lines()).first().extracting(ScriptLogLine::sequence).isEqualTo(1L);
    assertThat(end.state()).isEqualTo(ScriptState.COMPLETE);
    assertThat(end.exitCode()).isZero();
    tentacle.complete(ticket);
  }

  @ParameterizedTest
  @EnumSource(Dial.class)
  void exitCodes_zeroAndNonZero_reachTheServer(Dial dial) throws Exception {
    TentacleClient tentacle = client(dial);
    for (int code : List.of(0, 3)) {
      String ticket = Scripts.ticket("exit-" + code);
      tentacle.startScript(
          Scripts.bash(ticket, "echo \"leaving with " + code + "\"\nexit " + code));
      ScriptFollower follower = ScriptFollower.follow(tentacle, ticket);
      ScriptStatus end = follower.untilFinished(SCRIPT_TIMEOUT);

      assertThat(end.state()).as(follower.describe()).isEqualTo(ScriptState.COMPLETE);
      assertThat(end.exitCode()).as(follower.describe()).isEqualTo(code);
      assertThat(follower.texts(ScriptLogLine.STDOUT)).containsExactly("leaving with " + code);
      assertThat(follower.texts(ScriptLogLine.SYSTEM))
          .last()
          .asString()
          .contains("exited with code " + code);
      tentacle.complete(ticket);
    }
  }

  @ParameterizedTest
  @EnumSource(Dial.class)
  void variablesAndArguments_reachTheScript_andASensitiveValueStaysOutOfTheTentacleLog(Dial dial)
      throws Exception {
    TentacleClient tentacle = client(dial);
    String ticket = Scripts.ticket("variables");
    String password = "pw-" + UUID.randomUUID();

    tentacle.startScript(
        new StartScriptCommand(
            ticket,
            """
            echo "greeting: $GREETING"
            echo "first: $1"
            echo "second: $2"
            echo "password length: ${#DB_PASSWORD}"
            """,
            "bash",
            Map.of("GREETING", "Hello from the server", "DB_PASSWORD", password),
            List.of("first argument", "second"),
            0));
    ScriptFollower follower = ScriptFollower.follow(tentacle, ticket);
    ScriptStatus end = follower.untilFinished(SCRIPT_TIMEOUT);

    assertThat(end.exitCode()).as(follower.describe()).isZero();
    assertThat(follower.texts(ScriptLogLine.STDOUT))
        .containsExactly(
            "greeting: Hello from the server",
            "first: first argument",
            "second: second",
            "password length: " + password.length());
    assertThat(agent(dial).log()).doesNotContain(password);
    tentacle.complete(ticket);
  }

  @ParameterizedTest
  @EnumSource(Dial.class)
  void cancel_stopsTheScriptAndEverythingItStarted(Dial dial) throws Exception {
    TentacleClient tentacle = client(dial);
    String ticket = Scripts.ticket("cancel");
    tentacle.startScript(
        Scripts.bash(
            ticket,
            """
            echo "shell $$"
            sleep 300 &
            echo "sleeper $!"
            wait
            """));
    ScriptFollower follower =
        ScriptFollower.follow(tentacle, ticket).untilOutput("sleeper ", SCRIPT_TIMEOUT);
    long shell = pidAfter("shell ", follower);
    long sleeper = pidAfter("sleeper ", follower);

    ScriptStatus cancelled = tentacle.cancel(ticket);
    ScriptStatus end = follower.untilFinished(SCRIPT_TIMEOUT);

    assertThat(cancelled.state()).isEqualTo(ScriptState.CANCELLED);
    assertThat(end.state()).isEqualTo(ScriptState.CANCELLED);
    assertThat(end.exitCode()).as("a cancelled script still reports how it ended").isNotNull();
    Waits.until(
        Duration.ofSeconds(15),
        "the script's shell and its background sleep to be gone",
        () -> !alive(shell) && !alive(sleeper));
    tentacle.complete(ticket);
  }

  @ParameterizedTest
  @EnumSource(Dial.class)
  void runTimeLimit_stopsAScriptThatRunsTooLong_andReportsItTimedOut(Dial dial) throws Exception {
    TentacleClient tentacle = client(dial);
    String ticket = Scripts.ticket("limit");
    long started = System.nanoTime();

    tentacle.startScript(
        new StartScriptCommand(
            ticket, "echo started\nsleep 300\necho finished", "bash", Map.of(), List.of(), 1));
    ScriptFollower follower = ScriptFollower.follow(tentacle, ticket);
    ScriptStatus end = follower.untilFinished(SCRIPT_TIMEOUT);

    assertThat(end.state()).as(follower.describe()).isEqualTo(ScriptState.TIMED_OUT);
    assertThat(follower.texts(ScriptLogLine.STDOUT)).startsWith("started");
    assertThat(follower.texts(ScriptLogLine.SYSTEM))
        .anySatisfy(line -> assertThat(line).contains("longer than its limit of 1 s"));
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("stopped soon after its one-second limit, not when sleep 300 ends")
        .isLessThan(Duration.ofSeconds(20));
    tentacle.complete(ticket);
  }

  /**
   * A script stopped at its time limit must not go on to its next command, which could be the very
   * step the limit was meant to prevent, nor report success. Whether it does depends on timing
   * (which process of the script the Tentacle signals first), so many scripts are stopped at once.
   */
  @Test
  void scriptsStoppedAtTheirTimeLimit_runNoFurtherCommand_andDoNotReportSuccess() throws Exception {
    List<String> tickets = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String ticket = Scripts.ticket("stopped-" + i);
      listening.startScript(
          new StartScriptCommand(
              ticket, "echo started\nsleep 300\necho after", "bash", Map.of(), List.of(), 1));
      tickets.add(ticket);
    }

    List<String> wentOn = new ArrayList<>();
    for (String ticket : tickets) {
      ScriptFollower follower = ScriptFollower.follow(listening, ticket);
      ScriptStatus end = follower.untilFinished(SCRIPT_TIMEOUT);
      assertThat(end.state()).as(follower.describe()).isEqualTo(ScriptState.TIMED_OUT);
      if (follower.texts(ScriptLogLine.STDOUT).contains("after")
          || Integer.valueOf(0).equals(end.exitCode())) {
        wentOn.add(follower.describe());
      }
      listening.complete(ticket);
    }

    assertThat(wentOn)
        .as("of %d scripts stopped at their limit, those that went on or reported success", 30)
        .isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Dial.class)
  void aRetriedStart_withTheSameTicket_runsTheScriptOnce(Dial dial) throws Exception {
    TentacleClient tentacle = client(dial);
    String ticket = Scripts.ticket("once");
    Path marker = tmp.resolve("runs-" + ticket);
    StartScriptCommand start = Scripts.countingRuns(ticket, marker, "sleep 1\necho done");

    ScriptStatus first = tentacle.startScript(start);
    ScriptStatus retried = tentacle.startScript(start);
    ScriptFollower follower = ScriptFollower.follow(tentacle, ticket);
    ScriptStatus end = follower.untilFinished(SCRIPT_TIMEOUT);
    ScriptStatus retriedAfterTheEnd = tentacle.startScript(start);

    assertThat(first.ticket()).isEqualTo(ticket);
    assertThat(retried.ticket()).isEqualTo(ticket);
    assertThat(end.exitCode()).as(follower.describe()).isZero();
    assertThat(retriedAfterTheEnd.state()).isEqualTo(ScriptState.COMPLETE);
    assertThat(retriedAfterTheEnd.exitCode()).isZero();
    assertThat(follower.texts(ScriptLogLine.STDOUT)).containsExactly("done");
    assertThat(Scripts.runs(marker)).as("times the script ran").isEqualTo(1);
    tentacle.complete(ticket);
  }

  @ParameterizedTest
  @EnumSource(Dial.class)
  void a200MbFile_uploadsAndDownloadsIntact_throughATentacleWithA64MbHeap(Dial dial)
      throws Exception {
    TentacleClient tentacle = client(dial);
    GeneratedFile source = largeFile();
    String remote = "transfers/" + dial.name().toLowerCase() + "/payload.bin";
    Path onTheTentacle = tentacle(dial).filesFolder().resolve(remote);
    Path downloaded = tmp.resolve("downloaded-" + dial.name().toLowerCase() + ".bin");

    try {
      FileInfo stored = tentacle.upload(remote, source.path());
      FileInfo fetched = tentacle.download(remote, downloaded);

      assertThat(stored.length()).isEqualTo(LARGE_FILE_BYTES);
      assertThat(stored.sha256()).isEqualTo(source.sha256());
      assertThat(Files.size(onTheTentacle)).isEqualTo(LARGE_FILE_BYTES);
      assertThat(fetched.sha256()).isEqualTo(source.sha256());
      assertThat(Files.size(downloaded)).isEqualTo(LARGE_FILE_BYTES);
      assertThat(GeneratedFile.sha256Of(downloaded)).isEqualTo(source.sha256());
      ForegroundTentacle agent = agent(dial);
      assertThat(ProcessHandle.of(agent.pid()).flatMap(p -> p.info().commandLine()))
          .hasValueSatisfying(line -> assertThat(line).contains(SMALL_HEAP));
      assertThat(agent.isAlive()).isTrue();
      assertThat(agent.log()).doesNotContain("OutOfMemoryError");
    } finally {
      Files.deleteIfExists(downloaded);
      Files.deleteIfExists(onTheTentacle);
    }
  }

  private static synchronized GeneratedFile largeFile() {
    if (largeFile == null) {
      largeFile = GeneratedFile.write(tmp.resolve("payload-200mb.bin"), LARGE_FILE_BYTES, 200);
    }
    return largeFile;
  }

  private static TentacleClient client(Dial dial) {
    return dial == Dial.LISTENING ? listening : polling;
  }

  private static ForegroundTentacle agent(Dial dial) {
    return dial == Dial.LISTENING ? listeningAgent : pollingAgent;
  }

  private static TestTentacle tentacle(Dial dial) {
    return dial == Dial.LISTENING ? listeningTentacle : pollingTentacle;
  }

  private static long pidAfter(String prefix, ScriptFollower follower) {
    Pattern pattern = Pattern.compile(Pattern.quote(prefix) + "(\\d+)");
    for (String text : follower.texts(ScriptLogLine.STDOUT)) {
      Matcher m = pattern.matcher(text);
      if (m.matches()) {
        return Long.parseLong(m.group(1));
      }
    }
    throw new AssertionError("No '" + prefix + "<pid>' line: " + follower.describe());
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
