package dev.sepia.platform.service;

import dev.sepia.platform.AtomicFiles;
import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a service as a systemd unit in {@code /etc/systemd/system}: started at boot, restarted on
 * failure, logged to the journal. Installing needs root.
 */
public final class SystemdServiceManager implements ServiceManager {

  static final Path UNIT_DIR = Path.of("/etc/systemd/system");
  private static final Duration POLL = Duration.ofMillis(200);
  private static final int JOURNAL_LINES = 20;

  private final Path unitDir;
  private final CommandRunner runner;

  public SystemdServiceManager() {
    this(UNIT_DIR, CommandRunner.SYSTEM);
  }

  SystemdServiceManager(Path unitDir, CommandRunner runner) {
    this.unitDir = unitDir;
    this.runner = runner;
  }

  @Override
  public String kind() {
    return "systemd";
  }

  /** The unit file {@link #install} writes; a pure function of the definition. */
  public static String renderUnit(ServiceDefinition d) {
    // systemd reads prefixes such as '-' or '@' off the first word even when it is quoted; an
    // absolute path cannot start with one.
    if (!d.command().get(0).startsWith("/")) {
      throw new IllegalArgumentException(
          "systemd needs the absolute path of the program to run, not " + d.command().get(0));
    }
    StringBuilder unit = new StringBuilder();
    unit.append("# Written by Sepia (service --install); changes are lost on the next install.\n");
    unit.append("[Unit]\n");
    unit.append("Description=").append(specifiers(d.description())).append('\n');
    unit.append("Wants=network-online.target\n");
    unit.append("After=network-online.target\n");
    unit.append('\n');
    unit.append("[Service]\n");
    unit.append("Type=simple\n");
    unit.append("ExecStart=")
        .append(
            d.command().stream()
                .map(SystemdServiceManager::execArgument)
                .collect(Collectors.joining(" ")))
        .append('\n');
    unit.append("WorkingDirectory=")
        .append(specifiers(d.workingDirectory().toString()))
        .append('\n');
    d.environment()
        .forEach(
            (name, value) ->
                unit.append("Environment=\"")
                    .append(cEscape(specifiers(name + "=" + value)))
                    .append("\"\n"));
    unit.append("Restart=on-failure\n");
    unit.append("RestartSec=5\n");
    // The JVM exits with 143 when stopped with SIGTERM; that is a clean stop, not a failure.
    unit.append("SuccessExitStatus=143\n");
    unit.append('\n');
    unit.append("[Install]\n");
    unit.append("WantedBy=multi-user.target\n");
    return unit.toString();
  }

  @Override
  public void install(ServiceDefinition d) {
    Path unitFile = unitFile(d);
    try {
      AtomicFiles.write(
          unitFile,
          renderUnit(d).getBytes(StandardCharsets.UTF_8),
          PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot write the systemd unit "
              + unitFile
              + ": "
              + AtomicFiles.reason(e)
              + ". Installing a systemd service needs root: run the command with sudo.",
          e);
    }
    systemctl("daemon-reload");
    systemctl("enable", unitName(d));
  }

  @Override
  public void uninstall(ServiceDefinition d) {
    if (!Files.exists(unitFile(d)) && show(d).notFound()) {
      return;
    }
    systemctl("stop", unitName(d));
    systemctl("disable", unitName(d));
    try {
      Files.deleteIfExists(unitFile(d));
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot delete the systemd unit "
              + unitFile(d)
              + ": "
              + AtomicFiles.reason(e)
              + ". Run the command with sudo.",
          e);
    }
    systemctl("daemon-reload");
    run(List.of("systemctl", "reset-failed", unitName(d))); // forget a failed state; may fail
  }

  @Override
  public ServiceStatus start(ServiceDefinition d, ReadinessProbe probe, Duration timeout) {
    UnitState before = show(d);
    if (before.notFound()) {
      throw new OperatorException(ProcessServiceManager.NOT_INSTALLED);
    }
    if (before.activeState().equals("active")) {
      return new ServiceStatus(
          ServiceState.RUNNING, before.pid(), "already running (pid " + before.pid() + ")");
    }
    systemctl("start", unitName(d));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      UnitState state = show(d);
      if (state.failed()) {
        throw new OperatorException(
            "The service exited during start-up (exit code "
                + state.exitStatus()
                + "). Last lines of its journal (journalctl -u "
                + unitName(d)
                + "):\n"
                + journalTail(d));
      }
      if (state.activeState().equals("active") && isReady(probe)) {
        return state.toStatus(unitName(d));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new OperatorException(
            "The service is still starting after "
                + timeout.toSeconds()
                + " s; it was left running. Follow its log with: journalctl -f -u "
                + unitName(d));
      }
      sleep();
    }
  }

  @Override
  public ServiceStatus stop(ServiceDefinition d, Duration timeout) {
    UnitState before = show(d);
    if (before.notFound()) {
      return before.toStatus(unitName(d));
    }
    systemctl("stop", unitName(d)); // waits for the stop job; TimeoutStopSec= bounds it
    long deadline = System.nanoTime() + timeout.toNanos();
    UnitState state = show(d);
    while (state.running() && System.nanoTime() - deadline < 0) {
      sleep();
      state = show(d);
    }
    return state.toStatus(unitName(d));
  }

  @Override
  public ServiceStatus status(ServiceDefinition d) {
    return show(d).toStatus(unitName(d));
  }

  private Path unitFile(ServiceDefinition d) {
    return unitDir.resolve(unitName(d));
  }

  private static String unitName(ServiceDefinition d) {
    return d.serviceName() + ".service";
  }

  private UnitState show(ServiceDefinition d) {
    return UnitState.parse(
        systemctl(
            "show", "-p", "LoadState,ActiveState,SubState,MainPID,ExecMainStatus", unitName(d)));
  }

  private String journalTail(ServiceDefinition d) {
    CommandRunner.Result result =
        run(
            List.of(
                "journalctl",
                "-u",
                unitName(d),
                "-n",
                Integer.toString(JOURNAL_LINES),
                "--no-pager",
                "--output=cat"));
    return result == null || result.stdout().isBlank()
        ? "(no journal lines could be read)"
        : result.stdout().stripTrailing();
  }

  private String systemctl(String... args) {
    List<String> argv = new ArrayList<>(List.of("systemctl"));
    argv.addAll(List.of(args));
    CommandRunner.Result result;
    try {
      result = runner.run(argv);
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot run systemctl: " + AtomicFiles.reason(e) + ". Is systemd installed?", e);
    }
    if (result.exitCode() != 0) {
      throw new OperatorException(
          String.join(" ", argv)
              + " failed (exit code "
              + result.exitCode()
              + "): "
              + result.stderr().strip());
    }
    return result.stdout();
  }

  // For best-effort commands: a failure is not worth failing the operation for.
  private CommandRunner.Result run(List<String> argv) {
    try {
      return runner.run(argv);
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isReady(ReadinessProbe probe) {
    try {
      return probe.isReady();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException("Interrupted while waiting for systemd.", e);
    }
  }

  /**
   * One argument of ExecStart. systemd splits on whitespace, understands quotes and C escapes,
   * expands {@code %} specifiers and {@code $} variables; so double those two and quote the rest
   * when needed.
   */
  static String execArgument(String arg) {
    String plain = specifiers(arg).replace("$", "$$");
    boolean needsQuotes =
        plain.isEmpty()
            || plain
                .chars()
                .anyMatch(c -> Character.isWhitespace(c) || c < 0x20 || "\"'\\;".indexOf(c) >= 0);
    return needsQuotes ? "\"" + cEscape(plain) + "\"" : plain;
  }

  private static String specifiers(String text) {
    return text.replace("%", "%%");
  }

  private static String cEscape(String text) {
    return text.replace("\\", "\\\\")
        .replace("\"", "\\\"")
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r");
  }

  /** What {@code systemctl show} says about a unit. */
  record UnitState(
      String loadState, String activeState, String subState, long pid, String exitStatus) {

    static UnitState parse(String showOutput) {
      Map<String, String> values = new HashMap<>();
      for (String line : showOutput.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
      long pid;
      try {
        pid = Long.parseLong(values.getOrDefault("MainPID", "0"));
      } catch (NumberFormatException e) {
        pid = 0;
      }
      return new UnitState(
          values.getOrDefault("LoadState", ""),
          values.getOrDefault("ActiveState", ""),
          values.getOrDefault("SubState", ""),
          pid > 0 ? pid : -1,
          values.getOrDefault("ExecMainStatus", "?"));
    }

    boolean notFound() {
      return loadState.equals("not-found");
    }

    /** Down, or crashed and waiting for systemd's restart: either way start-up failed. */
    boolean failed() {
      return activeState.equals("failed")
          || activeState.equals("inactive")
          || subState.equals("auto-restart");
    }

    boolean running() {
      return !notFound() && !failed();
    }

    ServiceStatus toStatus(String unitName) {
      if (notFound()) {
        return new ServiceStatus(
            ServiceState.NOT_INSTALLED, -1, "not installed (no systemd unit " + unitName + ")");
      }
      if (subState.equals("auto-restart")) {
        return new ServiceStatus(
            ServiceState.STOPPED,
            -1,
            "crashed (exit code "
                + exitStatus
                + "); systemd will restart it. See: journalctl -u "
                + unitName);
      }
      return switch (activeState) {
        case "active", "reloading" ->
            new ServiceStatus(ServiceState.RUNNING, pid, "running (pid " + pid + ")");
        case "activating" ->
            new ServiceStatus(ServiceState.RUNNING, pid, "starting (pid " + pid + ")");
        case "deactivating" ->
            new ServiceStatus(ServiceState.RUNNING, pid, "stopping (pid " + pid + ")");
        case "failed" ->
            new ServiceStatus(
                ServiceState.STOPPED,
                -1,
                "not running (failed with exit code "
                    + exitStatus
                    + "; see journalctl -u "
                    + unitName
                    + ")");
        default -> new ServiceStatus(ServiceState.STOPPED, -1, "not running");
      };
    }
  }
}
