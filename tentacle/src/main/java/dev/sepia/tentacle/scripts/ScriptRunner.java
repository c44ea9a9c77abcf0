package dev.sepia.tentacle.scripts;

import dev.sepia.comms.contract.ScriptState;
import dev.sepia.comms.contract.ScriptStatus;
import dev.sepia.comms.contract.StartScriptCommand;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scripts for the server under caller-chosen tickets: start, status, cancel, complete. Each
 * ticket gets a workspace folder {@code <work>/<ticket>/}; output goes to a log on disk, so neither
 * a chatty script nor many finished ones grow the heap.
 *
 * <p>A start with a ticket that is already known (running, finished, or left on disk by an earlier
 * run of this Tentacle) returns that ticket's status and never runs the script again; this holds
 * when two starts race. Only {@code complete} forgets a ticket.
 */
public final class ScriptRunner implements AutoCloseable {
  /** Most log lines one status returns; the caller asks again from the last sequence it got. */
  public static final int MAX_LOG_LINES = ScriptStatus.MAX_LOG_LINES;

  /** The shell could not be started. */
  public static final int EXIT_CODE_FAILED_TO_START = -47;

  /** The Tentacle stopped while the script ran, so how it ended is not known. */
  public static final int EXIT_CODE_UNKNOWN = -46;

  /** The shells scripts may ask for. */
  public static final List<String> SUPPORTED_SHELLS = List.of("bash", "sh");

  private static final Logger log = LoggerFactory.getLogger(ScriptRunner.class);
  private static final Pattern TICKET = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Duration STOP_WAIT = Duration.ofSeconds(15);

  private final Path workRoot;
  private final Map<String, Path> shells;
  private final ConcurrentHashMap<String, ScriptRun> runs = new ConcurrentHashMap<>();

  /**
   * @param workRoot the folder that holds one workspace per ticket ({@code <app>/work})
   */
  public ScriptRunner(Path workRoot) {
    this(workRoot, findShells(System.getenv("PATH")));
  }

  ScriptRunner(Path workRoot, Map<String, Path> shells) {
    this.workRoot = workRoot.toAbsolutePath().normalize();
    this.shells = Map.copyOf(shells);
  }

  /** The supported shells found on this machine, e.g. {@code [bash, sh]}. */
  public List<String> shells() {
    return SUPPORTED_SHELLS.stream().filter(shells::containsKey).toList();
  }

  public Path workRoot() {
    return workRoot;
  }

  /**
   * Starts the script, or returns the status of the ticket if it is known already.
   *
   * @throws InvalidTicket if the ticket cannot name a folder
   * @throws UnsupportedShell for a shell other than bash or sh, or one not installed here
   * @throws InvalidScriptCommand for a missing script, bad variable names, a negative limit
   */
  public ScriptStatus start(StartScriptCommand command)
      throws InvalidTicket, UnsupportedShell, InvalidScriptCommand, IOException {
    if (command == null) {
      throw new InvalidScriptCommand("A start request needs a ticket and a script.");
    }
    String ticket = requireTicket(command.ticket());
    ScriptRun known = findOrRecover(ticket);
    if (known != null && !known.isPending()) {
      return known.status(0, MAX_LOG_LINES);
    }
    Path shell = validate(command);
    ScriptRun run;
    try {
      run = runs.computeIfAbsent(ticket, t -> recoverOrPending(t));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    try {
      run.startOnce(command, shell);
    } catch (IOException | RuntimeException e) {
      // Nothing ran; forget the ticket so a retry can try again.
      runs.remove(ticket, run);
      deleteRecursively(run.workspace());
      throw e;
    }
    return run.status(0, MAX_LOG_LINES);
  }

  /** The state and the log lines after {@code afterSequence} (at most {@value #MAX_LOG_LINES}). */
  public ScriptStatus status(String ticket, long afterSequence)
      throws UnknownTicket, InvalidTicket, IOException {
    return require(ticket).status(afterSequence, MAX_LOG_LINES);
  }

  /**
   * Stops the script and everything it started (SIGTERM, SIGKILL after 5 s); its state becomes
   * CANCELLED. A script that has ended already keeps its state. Returns once the end is recorded.
   */
  public ScriptStatus cancel(String ticket) throws UnknownTicket, InvalidTicket, IOException {
    ScriptRun run = require(ticket);
    stopAndWait(run);
    return run.status(0, MAX_LOG_LINES);
  }

  /**
   * Returns the final status (cancelling the script if it still runs), then deletes the workspace
   * and forgets the ticket.
   */
  public ScriptStatus complete(String ticket) throws UnknownTicket, InvalidTicket, IOException {
    ScriptRun run = require(ticket);
    stopAndWait(run);
    ScriptStatus status = run.status(0, MAX_LOG_LINES);
    runs.remove(ticket, run);
    deleteRecursively(run.workspace());
    return status;
  }

  /** Cancels every running script, so none is left running without a Tentacle to report it. */
  @Override
  public void close() {
    List<ScriptRun> running = runs.values().stream().filter(r -> !r.isFinished()).toList();
    if (running.isEmpty()) {
      return;
    }
    log.info("Stopping {} running script(s)", running.size());
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (ScriptRun run : running) {
        executor.submit(() -> stopAndWait(run));
      }
    }
  }

  private void stopAndWait(ScriptRun run) {
    run.stop(ScriptState.CANCELLED);
    try {
      if (!run.isPending() && !run.awaitFinished(STOP_WAIT)) {
        log.warn("Script {} has not ended {} s after it was stopped", run.ticket(), STOP_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ScriptRun require(String ticket) throws UnknownTicket, InvalidTicket, IOException {
    String valid = requireTicket(ticket);
    ScriptRun run = findOrRecover(valid);
    if (run == null) {
      throw new UnknownTicket(valid);
    }
    return run;
  }

  /** The run in memory, or one recovered from a workspace on disk, or null. */
  private ScriptRun findOrRecover(String ticket) throws IOException {
    ScriptRun run = runs.get(ticket);
    if (run != null) {
      return run;
    }
    if (!Files.isDirectory(workRoot.resolve(ticket))) {
      return null;
    }
    try {
      return runs.computeIfAbsent(ticket, this::recoverOrPending);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private ScriptRun recoverOrPending(String ticket) {
    Path workspace = workRoot.resolve(ticket);
    if (Files.isDirectory(workspace)) {
      try {
        return ScriptRun.recover(ticket, workspace);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ScriptRun.pending(ticket, workspace);
  }

  private static String requireTicket(String ticket) throws InvalidTicket {
    if (ticket == null
        || !TICKET.matcher(ticket).matches()
        || ticket.equals(".")
        || ticket.equals("..")) {
      throw new InvalidTicket(ticket);
    }
    return ticket;
  }

  private Path validate(StartScriptCommand command) throws UnsupportedShell, InvalidScriptCommand {
    String shellName = command.shell() == null ? "" : command.shell().trim();
    if (!SUPPORTED_SHELLS.contains(shellName)) {
      throw new UnsupportedShell(
          "This Tentacle runs bash or sh scripts; '"
              + command.shell()
              + "' is not supported. Send the script with shell \"bash\" or \"sh\".");
    }
    Path shell = shells.get(shellName);
    if (shell == null) {
      throw new UnsupportedShell(
          shellName
              + " is not installed on this Tentacle (it is not on its PATH). Install it,"
              + " or send the script for "
              + (shells().isEmpty() ? "another shell" : String.join(" or ", shells()))
              + ".");
    }
    if (command.scriptBody() == null) {
      throw new InvalidScriptCommand("The start request has no script body.");
    }
    if (command.timeoutSeconds() < 0) {
      throw new InvalidScriptCommand(
          "timeoutSeconds is "
              + command.timeoutSeconds()
              + "; use 0 for no limit, or a positive number.");
    }
    for (Map.Entry<String, String> e : environmentOf(command).entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw new InvalidScriptCommand(
            "'"
                + e.getKey()
                + "' cannot be an environment variable name: use letters, digits and '_', not"
                + " starting with a digit.");
      }
      if (e.getValue() == null || e.getValue().indexOf('\0') >= 0) {
        throw new InvalidScriptCommand(
            "The value of environment variable "
                + e.getKey()
                + " is missing or holds a NUL character.");
      }
    }
    for (String argument : argumentsOf(command)) {
      if (argument == null || argument.indexOf('\0') >= 0) {
        throw new InvalidScriptCommand("An argument is missing or holds a NUL character.");
      }
    }
    return shell;
  }

  static Map<String, String> environmentOf(StartScriptCommand command) {
    return command.environment() == null ? Map.of() : new LinkedHashMap<>(command.environment());
  }

  static List<String> argumentsOf(StartScriptCommand command) {
    return command.arguments() == null ? List.of() : command.arguments();
  }

  static Map<String, Path> findShells(String path) {
    Map<String, Path> found = new LinkedHashMap<>();
    if (path == null) {
      return found;
    }
    for (String shell : SUPPORTED_SHELLS) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, shell);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          found.put(shell, candidate.toAbsolutePath());
          break;
        }
      }
    }
    return found;
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("Could not delete the script workspace {}: {}", dir, e.getMessage());
    }
  }
}
