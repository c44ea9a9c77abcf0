package dev.sepia.tentacle.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.comms.contract.ScriptLogLine;
import dev.sepia.comms.contract.ScriptState;
import dev.sepia.comms.contract.ScriptStatus;
import dev.sepia.comms.contract.StartScriptCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptRunnerTest {
  @TempDir Path dir;
  Path work;
  ScriptRunner runner;

  @BeforeEach
  void setUp() {
    work = dir.resolve("app").resolve("work");
    runner = new ScriptRunner(work);
  }

  @AfterEach
  void tearDown() {
    runner.close();
  }

  @Test
  void output_isStreamedWithIncreasingSequences_andTheExitCodeIsReported() throws Exception {
    runner.start(bash("t1", "echo one; echo two >&2; echo three; exit 0"));

    ScriptStatus done = awaitEnd("t1");

    assertThat(done.state()).isEqualTo(ScriptState.COMPLETE);
    assertThat(done.exitCode()).isZero();
    List<ScriptLogLine> logs = done.logs();
    assertThat(logs).extracting(ScriptLogLine::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(logs.get(0).source()).isEqualTo("system");
    assertThat(logs.get(0).text()).contains("Starting bash script (ticket t1)");
    assertThat(logs.subList(1, 4))
        .extracting(l -> l.source() + ":" + l.text())
        .containsExactlyInAnyOrder("stdout:one", "stderr:two", "stdout:three");
    assertThat(logs.stream().filter(l -> l.source().equals("stdout")).map(ScriptLogLine::text))
        .containsExactly("one", "three");
    assertThat(logs.get(4).source()).isEqualTo("system");
    assertThat(logs.get(4).text()).isEqualTo("The script exited with code 0.");
    assertThat(done.lastSequence()).isEqualTo(5);
    for (int i = 1; i < logs.size(); i++) {
      assertThat(logs.get(i).time()).isAfterOrEqualTo(logs.get(i - 1).time());
    }

    ScriptStatus after3 = runner.status("t1", 3);
    assertThat(after3.logs()).extracting(ScriptLogLine::sequence).containsExactly(4L, 5L);
    ScriptStatus afterAll = runner.status("t1", 5);
    assertThat(afterAll.logs()).isEmpty();
    assertThat(afterAll.lastSequence()).isEqualTo(5);
  }

  @Test
  void nonZeroExitCode_isReported() throws Exception {
    runner.start(bash("t2", "echo failing; exit 3"));
    ScriptStatus done = awaitEnd("t2");
    assertThat(done.state()).isEqualTo(ScriptState.COMPLETE);
    assertThat(done.exitCode()).isEqualTo(3);
    assertThat(last(done).text()).isEqualTo("The script exited with code 3.");
  }

  @Test
  void shScripts_run_too() throws Exception {
    runner.start(
        new StartScriptCommand("sh1", "echo \"from sh $1\"", "sh", Map.of(), List.of("x"), 0));
    assertThat(texts(awaitEnd("sh1"))).contains("from sh x");
  }

  @Test
  void environmentVariablesAndArguments_reachTheScript() throws Exception {
    runner.start(
        new StartScriptCommand(
            "t3",
            "echo \"$GREETING|$1|$2|$#\"; echo \"secret=${DB_PASSWORD}\"",
            "bash",
            Map.of("GREETING", "hello world", "DB_PASSWORD", "p@ss'\"word"),
            List.of("first arg", "$HOME"),
            0));

    List<String> texts = texts(awaitEnd("t3"));

    assertThat(texts).contains("hello world|first arg|$HOME|2", "secret=p@ss'\"word");
    Path workspace = work.resolve("t3");
    assertThat(Files.readString(workspace.resolve("environment.json"))).contains("GREETING");
    assertThat(workspace.resolve("script.sh")).exists();
    assertThat(workspace.resolve("output.log")).exists();
  }

  @Test
  void theScriptRunsInItsWorkspace() throws Exception {
    runner.start(bash("t4", "pwd"));
    assertThat(texts(awaitEnd("t4"))).contains(work.resolve("t4").toRealPath().toString());
  }

  @Test
  void aLongOutput_isPagedInThousands_withoutGapsOrRepeats() throws Exception {
    runner.start(bash("many", "for i in $(seq 1 2500); do echo line-$i; done"));
    awaitEnd("many");

    List<ScriptLogLine> all = new ArrayList<>();
    long after = 0;
    while (true) {
      ScriptStatus page = runner.status("many", after);
      assertThat(page.logs()).hasSizeLessThanOrEqualTo(ScriptRunner.MAX_LOG_LINES);
      if (page.logs().isEmpty()) {
        break;
      }
      all.addAll(page.logs());
      after = page.lastSequence();
    }

    assertThat(all).hasSize(2502);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).sequence()).isEqualTo(i + 1);
    }
    assertThat(all.get(1).text()).isEqualTo("line-1");
    assertThat(all.get(2500).text()).isEqualTo("line-2500");
    assertThat(runner.status("many", 0).logs()).hasSize(1000);
    assertThat(runner.status("many", 1500).logs().get(0).sequence()).isEqualTo(1501);
  }

  @Test
  void aLineWithoutEnd_isSplitRatherThanHeldInMemory() throws Exception {
    runner.start(bash("long", "head -c 40000 /dev/zero | tr '\\0' x"));
    List<ScriptLogLine> out =
        awaitEnd("long").logs().stream().filter(l -> l.source().equals("stdout")).toList();
    assertThat(out).extracting(l -> l.text().length()).containsExactly(16384, 16384, 7232);
  }

  @Test
  void aPageOfLongLines_isCutBySize_andPagingStillGetsEverything() throws Exception {
    // 300 lines of 16384 characters: about 4.9 million characters in all.
    runner.start(
        bash("wide", "for i in $(seq 1 300); do head -c 16384 /dev/zero | tr '\\0' y; echo; done"));
    awaitEnd("wide");

    ScriptStatus first = runner.status("wide", 0);
    assertThat(first.logs().size()).isLessThan(300);
    assertThat(first.logs().stream().mapToLong(l -> l.text().length()).sum())
        .isLessThanOrEqualTo(ScriptLog.MAX_READ_CHARS);
    long after = 0;
    int stdout = 0;
    while (true) {
      ScriptStatus page = runner.status("wide", after);
      if (page.logs().isEmpty()) {
        break;
      }
      stdout += (int) page.logs().stream().filter(l -> l.source().equals("stdout")).count();
      after = page.lastSequence();
    }
    assertThat(stdout).isEqualTo(300);
  }

  @Test
  void cancel_stopsTheScriptAndWhatItStarted() throws Exception {
    runner.start(bash("c1", "sleep 300 & echo $! > child.pid; echo started; wait; echo never"));
    awaitLine("c1", "started");
    long child = Long.parseLong(Files.readString(work.resolve("c1/child.pid")).trim());
    assertThat(ProcessHandle.of(child)).isPresent();

    ScriptStatus cancelled = runner.cancel("c1");

    assertThat(cancelled.state()).isEqualTo(ScriptState.CANCELLED);
    assertThat(cancelled.exitCode()).isNotNull().isNotZero();
    assertThat(texts(cancelled)).doesNotContain("never");
    assertThat(last(cancelled).text()).startsWith("The script was cancelled");
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void cancel_ofAScriptThatIgnoresSigterm_killsIt() throws Exception {
    runner.start(bash("stubborn", "trap '' TERM; echo started; while true; do sleep 0.2; done"));
    awaitLine("stubborn", "started");

    ScriptStatus cancelled = runner.cancel("stubborn");

    assertThat(cancelled.state()).isEqualTo(ScriptState.CANCELLED);
    assertThat(cancelled.exitCode()).isEqualTo(137); // SIGKILL
  }

  @Test
  void aScriptOverItsTimeLimit_isStoppedAsTimedOut() throws Exception {
    runner.start(
        new StartScriptCommand(
            "slow", "echo started; sleep 300; echo never", "bash", Map.of(), List.of(), 1));

    ScriptStatus done = awaitEnd("slow");

    assertThat(done.state()).isEqualTo(ScriptState.TIMED_OUT);
    assertThat(done.exitCode()).isNotNull().isNotZero();
    assertThat(texts(done)).contains("started").doesNotContain("never");
    assertThat(last(done).text()).contains("longer than its limit of 1 s");
  }

  @Test
  void cancel_ofAFinishedScript_keepsItsState() throws Exception {
    runner.start(bash("fin", "exit 0"));
    awaitEnd("fin");
    ScriptStatus status = runner.cancel("fin");
    assertThat(status.state()).isEqualTo(ScriptState.COMPLETE);
    assertThat(status.exitCode()).isZero();
  }

  @Test
  void startingOneTicketTwice_runsTheScriptOnce() throws Exception {
    Path counter = dir.resolve("runs.txt");
    StartScriptCommand command =
        new StartScriptCommand(
            "once",
            "echo ran >> \"$COUNTER\"",
            "bash",
            Map.of("COUNTER", counter.toString()),
            List.of(),
            0);

    runner.start(command);
    awaitEnd("once");
    ScriptStatus again = runner.start(command);

    assertThat(again.state()).isEqualTo(ScriptState.COMPLETE);
    assertThat(Files.readAllLines(counter)).hasSize(1);
  }

  @Test
  void racingStartsOfOneTicket_runTheScriptOnce() throws Exception {
    Path counter = dir.resolve("runs.txt");
    StartScriptCommand command =
        new StartScriptCommand(
            "race",
            "echo ran >> \"$COUNTER\"",
            "bash",
            Map.of("COUNTER", counter.toString()),
            List.of(),
            0);
    int threads = 16;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ScriptStatus>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        Callable<ScriptStatus> start =
            () -> {
              go.await();
              return runner.start(command);
            };
        results.add(pool.submit(start));
      }
      go.countDown();
      for (Future<ScriptStatus> f : results) {
        assertThat(f.get().ticket()).isEqualTo("race");
      }
    }
    awaitEnd("race");
    assertThat(Files.readAllLines(counter)).hasSize(1);
  }

  @Test
  void aRestartedTentacle_stillKnowsTheTicket_andDoesNotRunItAgain() throws Exception {
    Path counter = dir.resolve("runs.txt");
    StartScriptCommand command =
        new StartScriptCommand(
            "kept",
            "echo ran >> \"$COUNTER\"; exit 4",
            "bash",
            Map.of("COUNTER", counter.toString()),
            List.of(),
            0);
    runner.start(command);
    ScriptStatus before = awaitEnd("kept");
    runner.close();

    ScriptRunner restarted = new ScriptRunner(work);
    ScriptStatus again = restarted.start(command);
    ScriptStatus status = restarted.status("kept", 0);

    assertThat(again.state()).isEqualTo(ScriptState.COMPLETE);
    assertThat(status.exitCode()).isEqualTo(4);
    assertThat(status.logs()).isEqualTo(before.logs());
    assertThat(Files.readAllLines(counter)).hasSize(1);
  }

  @Test
  void aScriptLostInACrash_isReportedWithAnUnknownResult() throws Exception {
    // What a crash leaves: a workspace whose state says the script was running.
    Path workspace = work.resolve("lost");
    Files.createDirectories(workspace);
    Files.writeString(
        workspace.resolve("state.json"),
        "{\"ticket\":\"lost\",\"state\":\"RUNNING\",\"exitCode\":null}");
    Files.writeString(
        workspace.resolve("output.log"),
        "{\"sequence\":1,\"time\":\"2025-01-01T00:00:00Z\",\"source\":\"stdout\",\"text\":\"hi\"}\n"
            + "{\"sequence\":2,\"ti");

    ScriptStatus status = runner.status("lost", 0);

    assertThat(status.state()).isEqualTo(ScriptState.COMPLETE);
    assertThat(status.exitCode()).isEqualTo(ScriptRunner.EXIT_CODE_UNKNOWN);
    assertThat(status.logs()).extracting(ScriptLogLine::sequence).containsExactly(1L, 2L);
    assertThat(last(status).text()).contains("result is unknown");
  }

  @Test
  void complete_returnsTheFinalStatusAndDeletesTheWorkspace() throws Exception {
    runner.start(bash("done", "echo bye"));
    awaitEnd("done");

    ScriptStatus status = runner.complete("done");

    assertThat(status.state()).isEqualTo(ScriptState.COMPLETE);
    assertThat(texts(status)).contains("bye");
    assertThat(work.resolve("done")).doesNotExist();
    assertThatThrownBy(() -> runner.status("done", 0))
        .isInstanceOf(UnknownTicket.class)
        .hasMessageContaining("'done'");
    assertThatThrownBy(() -> runner.complete("done")).isInstanceOf(UnknownTicket.class);
  }

  @Test
  void complete_ofARunningScript_stopsItFirst() throws Exception {
    runner.start(bash("busy", "echo started; sleep 300"));
    awaitLine("busy", "started");

    ScriptStatus status = runner.complete("busy");

    assertThat(status.state()).isEqualTo(ScriptState.CANCELLED);
    assertThat(work.resolve("busy")).doesNotExist();
  }

  @Test
  void unknownTicket_isAnError() {
    assertThatThrownBy(() -> runner.status("nope", 0)).isInstanceOf(UnknownTicket.class);
    assertThatThrownBy(() -> runner.cancel("nope")).isInstanceOf(UnknownTicket.class);
  }

  @Test
  void otherShells_areRefusedClearly_andNothingIsCreated() {
    assertThatThrownBy(
            () ->
                runner.start(
                    new StartScriptCommand(
                        "ps", "Write-Host hi", "powershell", Map.of(), List.of(), 0)))
        .isInstanceOf(UnsupportedShell.class)
        .hasMessageContaining("bash or sh")
        .hasMessageContaining("'powershell'");
    assertThat(work.resolve("ps")).doesNotExist();
  }

  @Test
  void ticketsThatCannotNameAFolder_areRefused() {
    // The contract's records refuse such tickets too; the runner does not rely on that.
    for (String ticket : new String[] {"..", ".", "../escape", "a/b", "", "x".repeat(101)}) {
      assertThatThrownBy(() -> runner.status(ticket, 0))
          .as(ticket)
          .isInstanceOf(InvalidTicket.class);
      assertThatThrownBy(() -> runner.complete(ticket))
          .as(ticket)
          .isInstanceOf(InvalidTicket.class);
    }
  }

  @Test
  void environmentNamesAShellCannotHold_areRefused() {
    assertThatThrownBy(
            () ->
                runner.start(
                    new StartScriptCommand(
                        "env1", "true", "bash", Map.of("NOT-VALID", "x"), List.of(), 0)))
        .isInstanceOf(InvalidScriptCommand.class)
        .hasMessageContaining("NOT-VALID");
    assertThat(work.resolve("env1")).doesNotExist();
  }

  @Test
  void close_stopsRunningScripts() throws Exception {
    runner.start(bash("bg", "echo started; sleep 300"));
    awaitLine("bg", "started");

    runner.close();

    assertThat(runner.status("bg", 0).state()).isEqualTo(ScriptState.CANCELLED);
  }

  // ---- helpers ----

  static StartScriptCommand bash(String ticket, String script) {
    return new StartScriptCommand(ticket, script, "bash", Map.of(), List.of(), 0);
  }

  private ScriptStatus awaitEnd(String ticket) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      ScriptStatus status = runner.status(ticket, 0);
      if (status.state() != ScriptState.RUNNING && status.state() != ScriptState.PENDING) {
        return status;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("script " + ticket + " did not end");
  }

  private void awaitLine(String ticket, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (texts(runner.status(ticket, 0)).contains(text)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("script " + ticket + " did not print " + text);
  }

  private static List<String> texts(ScriptStatus status) {
    return status.logs().stream().map(ScriptLogLine::text).toList();
  }

  private static ScriptLogLine last(ScriptStatus status) {
    return status.logs().get(status.logs().size() - 1);
  }
}
