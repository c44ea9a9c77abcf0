package dev.sepia.tentacle.scripts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.comms.contract.ScriptLogLine;
import dev.sepia.comms.contract.ScriptState;
import dev.sepia.comms.contract.ScriptStatus;
import dev.sepia.comms.contract.StartScriptCommand;
import dev.sepia.platform.AtomicFiles;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ticket's script: its workspace folder, its log, its process. Lives from the first start until
 * {@code complete}. The workspace holds {@code script.sh}, {@code environment.json} (the caller's
 * variables), {@code command.json} (shell, arguments, time limit), {@code output.log} and {@code
 * state.json}, so a restarted Tentacle still knows the ticket and never runs it twice.
 *
 * <p>The end of the log (a ScriptLogLine.SYSTEM line with the exit code) is written before the
 * state becomes final, so a caller that sees a final state and reads the log to its end has all of
 * the output.
 */
final class ScriptRun {
  static final String SCRIPT_FILE = "script.sh";
  static final String ENVIRONMENT_FILE = "environment.json";
  static final String COMMAND_FILE = "command.json";
  static final String LOG_FILE = "output.log";
  static final String STATE_FILE = "state.json";

  private static final Logger log = LoggerFactory.getLogger(ScriptRun.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

  private final String ticket;
  private final Path workspace;
  private final AtomicReference<ScriptState> endRequested = new AtomicReference<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile Snapshot snapshot;
  private ScriptLog scriptLog;
  private Process process;
  private long timeoutSeconds;

  /** State and exit code, published together. */
  private record Snapshot(ScriptState state, Integer exitCode) {}

  private ScriptRun(String ticket, Path workspace, Snapshot snapshot) {
    this.ticket = ticket;
    this.workspace = workspace;
    this.snapshot = snapshot;
  }

  /** A ticket seen for the first time; nothing is on disk yet. */
  static ScriptRun pending(String ticket, Path workspace) {
    return new ScriptRun(ticket, workspace, new Snapshot(ScriptState.PENDING, null));
  }

  /**
   * A ticket whose workspace was left by an earlier run of this Tentacle. If that run had not
   * finished, its process was lost with it: the script is reported complete with {@link
   * ScriptRunner#EXIT_CODE_UNKNOWN}.
   */
  static ScriptRun recover(String ticket, Path workspace) throws IOException {
    ScriptRun run = new ScriptRun(ticket, workspace, new Snapshot(ScriptState.PENDING, null));
    run.scriptLog = ScriptLog.open(workspace.resolve(LOG_FILE));
    ScriptState state = ScriptState.PENDING;
    Integer exitCode = null;
    try {
      JsonNode node = JSON.readTree(workspace.resolve(STATE_FILE).toFile());
      state = ScriptState.valueOf(node.path("state").asText());
      exitCode = node.path("exitCode").isInt() ? node.get("exitCode").asInt() : null;
    } catch (IOException | IllegalArgumentException e) {
      // No or damaged state file: the run never got far enough to record one.
    }
    if (state == ScriptState.PENDING || state == ScriptState.RUNNING || exitCode == null) {
      state = ScriptState.COMPLETE;
      exitCode = ScriptRunner.EXIT_CODE_UNKNOWN;
      run.scriptLog.append(
          ScriptLogLine.SYSTEM,
          "This Tentacle stopped while the script was running; its result is unknown (exit code "
              + exitCode
              + ").");
      run.writeState(state, exitCode);
    }
    run.scriptLog.close();
    run.snapshot = new Snapshot(state, exitCode);
    run.finished.countDown();
    return run;
  }

  String ticket() {
    return ticket;
  }

  Path workspace() {
    return workspace;
  }

  boolean isPending() {
    return snapshot.state() == ScriptState.PENDING;
  }

  boolean isFinished() {
    return finished.getCount() == 0;
  }

  /**
   * Writes the workspace and starts the script, unless this run was started already (by this call's
   * twin racing it, or earlier): the caller holds no lock, this method is the only gate.
   */
  synchronized void startOnce(StartScriptCommand command, Path shell) throws IOException {
    if (snapshot.state() != ScriptState.PENDING || scriptLog != null) {
      return;
    }
    AtomicFiles.createDirectories(workspace);
    AtomicFiles.writeOwnerOnly(
        workspace.resolve(SCRIPT_FILE), command.scriptBody().getBytes(StandardCharsets.UTF_8));
    ObjectNode environment = JSON.createObjectNode();
    ScriptRunner.environmentOf(command).forEach(environment::put);
    AtomicFiles.writeOwnerOnly(
        workspace.resolve(ENVIRONMENT_FILE), JSON.writeValueAsBytes(environment));
    ObjectNode commandNode = JSON.createObjectNode();
    commandNode.put("ticket", ticket);
    commandNode.put("shell", command.shell());
    ScriptRunner.argumentsOf(command).forEach(commandNode.putArray("arguments")::add);
    commandNode.put("timeoutSeconds", command.timeoutSeconds());
    AtomicFiles.writeOwnerOnly(
        workspace.resolve(COMMAND_FILE), JSON.writeValueAsBytes(commandNode));
    writeState(ScriptState.PENDING, null);
    scriptLog = ScriptLog.create(workspace.resolve(LOG_FILE));
    timeoutSeconds = command.timeoutSeconds();

    List<String> argv = new ArrayList<>();
    argv.add(shell.toString());
    argv.add(workspace.resolve(SCRIPT_FILE).toString());
    argv.addAll(ScriptRunner.argumentsOf(command));
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .directory(workspace.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(ScriptRunner.environmentOf(command));
    scriptLog.append(
        ScriptLogLine.SYSTEM,
        "Starting "
            + command.shell()
            + " script (ticket "
            + ticket
            + ") in "
            + workspace
            + (timeoutSeconds > 0 ? ", time limit " + timeoutSeconds + " s" : ""));
    try {
      process = builder.start();
    } catch (IOException e) {
      scriptLog.append(ScriptLogLine.SYSTEM, "The script could not be started: " + e.getMessage());
      finish(ScriptRunner.EXIT_CODE_FAILED_TO_START);
      return;
    }
    writeState(ScriptState.RUNNING, null);
    snapshot = new Snapshot(ScriptState.RUNNING, null);
    log.info("Script {} started (pid {}) with {}", ticket, process.pid(), command.shell());
    Thread out =
        daemon(
            new OutputPump(process.getInputStream(), scriptLog, ScriptLogLine.STDOUT, ticket),
            ScriptLogLine.STDOUT);
    Thread err =
        daemon(
            new OutputPump(process.getErrorStream(), scriptLog, ScriptLogLine.STDERR, ticket),
            ScriptLogLine.STDERR);
    daemon(() -> supervise(out, err), "supervisor");
  }

  /** Waits for the process, enforces the time limit, drains the output, records the end. */
  private void supervise(Thread out, Thread err) {
    try {
      boolean exited =
          timeoutSeconds > 0 ? process.waitFor(timeoutSeconds, TimeUnit.SECONDS) : waitFor();
      if (!exited) {
        stop(ScriptState.TIMED_OUT);
      }
      process.waitFor();
      long drainDeadline = System.nanoTime() + OUTPUT_DRAIN.toNanos();
      out.join(Duration.ofNanos(Math.max(1, drainDeadline - System.nanoTime())));
      err.join(Duration.ofNanos(Math.max(1, drainDeadline - System.nanoTime())));
      if (out.isAlive() || err.isAlive()) {
        scriptLog.append(
            ScriptLogLine.SYSTEM,
            "The script exited but left processes that hold its output open; their further"
                + " output is not captured.");
      }
      finish(process.exitValue());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      log.error("Script {}: recording its end failed", ticket, e);
      finish(process.isAlive() ? ScriptRunner.EXIT_CODE_UNKNOWN : process.exitValue());
    }
  }

  private boolean waitFor() throws InterruptedException {
    process.waitFor();
    return true;
  }

  /**
   * Stops the script and everything it started (SIGTERM, then SIGKILL after 5 s), recording why.
   * Does nothing if it has ended or ending was requested already.
   */
  void stop(ScriptState reason) {
    Process p;
    synchronized (this) {
      if (isFinished()) {
        return;
      }
      if (process == null) {
        // Still pending (never started): nothing to kill.
        return;
      }
      if (!endRequested.compareAndSet(null, reason)) {
        return;
      }
      p = process;
    }
    log.info("Script {}: stopping it ({})", ticket, reason);
    ProcessTrees.terminate(p.toHandle(), KILL_GRACE);
  }

  /** Waits up to {@code timeout} for the end to be recorded. */
  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void finish(int exitCode) {
    if (isFinished()) {
      return;
    }
    ScriptState end = endRequested.get() == null ? ScriptState.COMPLETE : endRequested.get();
    String message =
        switch (end) {
          case CANCELLED -> "The script was cancelled (exit code " + exitCode + ").";
          case TIMED_OUT ->
              "The script ran longer than its limit of "
                  + timeoutSeconds
                  + " s and was stopped (exit code "
                  + exitCode
                  + ").";
          default -> "The script exited with code " + exitCode + ".";
        };
    try {
      scriptLog.append(ScriptLogLine.SYSTEM, message);
      scriptLog.close();
    } catch (IOException e) {
      log.warn("Script {}: could not write the end of its log: {}", ticket, e.getMessage());
    }
    try {
      writeState(end, exitCode);
    } catch (IOException e) {
      log.warn("Script {}: could not record its state: {}", ticket, e.getMessage());
    }
    snapshot = new Snapshot(end, exitCode);
    finished.countDown();
    log.info("Script {} ended: {} (exit code {})", ticket, end, exitCode);
  }

  /** The state, then the log lines after {@code after} (at most {@code max}). */
  ScriptStatus status(long after, int max) throws IOException {
    Snapshot now = snapshot; // read first: a final state means the log is complete
    ScriptLog logNow;
    synchronized (this) {
      logNow = scriptLog;
    }
    List<ScriptLogLine> lines = logNow == null ? List.of() : logNow.read(after, max);
    long last =
        lines.isEmpty()
            ? Math.max(0, Math.min(after, logNow == null ? 0 : logNow.lastSequence()))
            : lines.get(lines.size() - 1).sequence();
    return new ScriptStatus(ticket, now.state(), now.exitCode(), lines, last);
  }

  private void writeState(ScriptState state, Integer exitCode) throws IOException {
    ObjectNode node = JSON.createObjectNode();
    node.put("ticket", ticket);
    node.put("state", state.name());
    if (exitCode == null) {
      node.putNull("exitCode");
    } else {
      node.put("exitCode", exitCode);
    }
    AtomicFiles.writeOwnerOnly(workspace.resolve(STATE_FILE), JSON.writeValueAsBytes(node));
  }

  private Thread daemon(Runnable task, String role) {
    Thread thread = new Thread(task, "script-" + ticket + "-" + role);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
