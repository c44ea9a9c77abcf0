package dev.sepia.platform.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.platform.AtomicFiles;
import dev.sepia.platform.LockFile;
import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs a service as a detached background process with a pid file and a log file, for machines
 * without systemd (containers, CI, minimal hosts). Everything it knows lives in the definition's
 * state folder: {@code service.json} (installed), {@code service.pid} (running), {@code
 * logs/service.log} (its output). Start, stop and uninstall hold {@code service.lock}, so two
 * commands cannot start the service twice.
 *
 * <p>Unlike systemd it does not restart a crashed service, nor start it at boot.
 */
public final class ProcessServiceManager implements ServiceManager {

  static final String NOT_INSTALLED =
      "The service is not installed. Run service --install first (or service --install --start).";
  static final Duration POLL = Duration.ofMillis(200);
  static final int LOG_TAIL_LINES = 20;
  static final String LOG_MARKER = "---- sepia service ";

  // Rotated only at start: the running process keeps writing to the file it was given.
  private static final long ROTATE_LOG_BYTES = 10L * 1024 * 1024;
  private static final Duration UNINSTALL_STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final Duration LOCK_MARGIN = Duration.ofSeconds(30);
  private static final List<Path> SETSID =
      List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

  private final Optional<Path> setsid;

  public ProcessServiceManager() {
    this(SETSID.stream().filter(Files::isExecutable).findFirst());
  }

  /** {@code setsid} empty runs the command directly, in the caller's session. */
  ProcessServiceManager(Optional<Path> setsid) {
    this.setsid = setsid;
  }

  @Override
  public String kind() {
    return "process";
  }

  @Override
  public void install(ServiceDefinition d) {
    requireRecognisable(d);
    ObjectMapper json = Json.mapper();
    ObjectNode node = json.createObjectNode();
    node.put("serviceName", d.serviceName());
    node.put("description", d.description());
    d.command().forEach(node.putArray("command")::add);
    node.put("workingDirectory", d.workingDirectory().toString());
    node.put("stateDirectory", d.stateDirectory().toString());
    d.environment().forEach(node.putObject("environment")::put);
    node.put("installedAt", Instant.now().toString());
    withLock(
        d,
        LOCK_MARGIN,
        () -> {
          try {
            byte[] bytes = (json.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
            AtomicFiles.writeOwnerOnly(definitionFile(d), bytes);
          } catch (IOException e) {
            throw new OperatorException(
                "Cannot install the service: writing "
                    + definitionFile(d)
                    + " failed: "
                    + AtomicFiles.reason(e)
                    + ".",
                e);
          }
          return null;
        });
  }

  @Override
  public void uninstall(ServiceDefinition d) {
    if (!Files.isDirectory(d.stateDirectory())) {
      return;
    }
    withLock(
        d,
        UNINSTALL_STOP_TIMEOUT.plus(KILL_WAIT).plus(LOCK_MARGIN),
        () -> {
          stopLocked(d, UNINSTALL_STOP_TIMEOUT);
          try {
            Files.deleteIfExists(definitionFile(d));
          } catch (IOException e) {
            throw new OperatorException(
                "Cannot uninstall the service: deleting "
                    + definitionFile(d)
                    + " failed: "
                    + AtomicFiles.reason(e)
                    + ".",
                e);
          }
          return null;
        });
  }

  @Override
  public ServiceStatus start(ServiceDefinition d, ReadinessProbe probe, Duration timeout) {
    requireRecognisable(d);
    if (!Files.exists(definitionFile(d))) {
      throw new OperatorException(NOT_INSTALLED);
    }
    return withLock(
        d,
        timeout.plus(LOCK_MARGIN),
        () -> {
          if (!Files.exists(definitionFile(d))) {
            throw new OperatorException(NOT_INSTALLED); // uninstalled while we waited
          }
          Optional<ProcessHandle> running = runningProcess(d);
          if (running.isPresent()) {
            long pid = running.get().pid();
            return new ServiceStatus(
                ServiceState.RUNNING, pid, "already running (pid " + pid + ")");
          }
          deletePidFile(d);
          Process process = spawn(d);
          try {
            AtomicFiles.writeOwnerOnly(
                pidFile(d), (process.pid() + "\n").getBytes(StandardCharsets.UTF_8));
          } catch (IOException e) {
            process.destroyForcibly();
            throw new OperatorException(
                "Cannot write the pid file " + pidFile(d) + ": " + AtomicFiles.reason(e) + ".", e);
          }
          return awaitReady(d, process, probe, timeout);
        });
  }

  @Override
  public ServiceStatus stop(ServiceDefinition d, Duration timeout) {
    if (!Files.isDirectory(d.stateDirectory())) {
      return new ServiceStatus(ServiceState.NOT_INSTALLED, -1, "not installed");
    }
    return withLock(d, timeout.plus(KILL_WAIT).plus(LOCK_MARGIN), () -> stopLocked(d, timeout));
  }

  @Override
  public ServiceStatus status(ServiceDefinition d) {
    OptionalLong pid = readPid(d);
    if (pid.isPresent()) {
      Optional<ProcessHandle> running = ours(pid.getAsLong(), d);
      if (running.isPresent()) {
        return new ServiceStatus(
            ServiceState.RUNNING, pid.getAsLong(), "running (pid " + pid.getAsLong() + ")");
      }
      withLock(
          d,
          LOCK_MARGIN,
          () -> {
            // Re-check under the lock: a start may have written a new pid meanwhile.
            if (readPid(d).equals(pid)) {
              deletePidFile(d);
            }
            return null;
          });
      return new ServiceStatus(
          stoppedOrNotInstalled(d), -1, "not running (stale pid file removed)");
    }
    if (!Files.exists(definitionFile(d))) {
      return new ServiceStatus(ServiceState.NOT_INSTALLED, -1, "not installed");
    }
    if (Files.exists(logFile(d))) {
      return new ServiceStatus(
          ServiceState.STOPPED, -1, "not running (last run ended; see " + logFile(d) + ")");
    }
    return new ServiceStatus(ServiceState.STOPPED, -1, "not running");
  }

  Path definitionFile(ServiceDefinition d) {
    return d.stateDirectory().resolve("service.json");
  }

  Path pidFile(ServiceDefinition d) {
    return d.stateDirectory().resolve("service.pid");
  }

  Path logFile(ServiceDefinition d) {
    return d.stateDirectory().resolve("logs").resolve("service.log");
  }

  private ServiceStatus stopLocked(ServiceDefinition d, Duration timeout) {
    OptionalLong pid = readPid(d);
    if (pid.isEmpty()) {
      return new ServiceStatus(stoppedOrNotInstalled(d), -1, "not running");
    }
    Optional<ProcessHandle> running = ours(pid.getAsLong(), d);
    if (running.isEmpty()) {
      deletePidFile(d);
      return new ServiceStatus(
          stoppedOrNotInstalled(d), -1, "not running (stale pid file removed)");
    }
    terminate(running.get(), timeout);
    deletePidFile(d);
    return new ServiceStatus(
        stoppedOrNotInstalled(d), -1, "stopped (was pid " + pid.getAsLong() + ")");
  }

  private ServiceState stoppedOrNotInstalled(ServiceDefinition d) {
    return Files.exists(definitionFile(d)) ? ServiceState.STOPPED : ServiceState.NOT_INSTALLED;
  }

  private Process spawn(ServiceDefinition d) {
    if (!Files.isDirectory(d.workingDirectory())) {
      throw new OperatorException(
          "Cannot start "
              + d.serviceName()
              + ": its working directory "
              + d.workingDirectory()
              + " does not exist. Create it, or re-install the service.");
    }
    Path log = logFile(d);
    try {
      AtomicFiles.createDirectories(log.getParent());
      if (Files.exists(log) && Files.size(log) > ROTATE_LOG_BYTES) {
        Files.move(
            log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
      }
      String header = LOG_MARKER + Instant.now() + " starting " + d.serviceName() + " ----\n";
      Files.writeString(log, header, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot start "
              + d.serviceName()
              + ": its log "
              + log
              + " cannot be written: "
              + AtomicFiles.reason(e)
              + ".",
          e);
    }
    List<String> argv = new ArrayList<>();
    // setsid puts the service in its own session: Ctrl-C, a closed terminal or the caller's exit
    // do not reach it. A child of the JVM is not a process group leader, so setsid execs without
    // forking and the pid we record stays the service's.
    setsid.ifPresent(path -> argv.add(path.toString()));
    argv.addAll(d.command());
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .directory(d.workingDirectory().toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectErrorStream(true);
    builder.environment().putAll(d.environment());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot start "
              + d.serviceName()
              + ": running "
              + d.command().get(0)
              + " failed: "
              + AtomicFiles.reason(e)
              + ".",
          e);
    }
  }

  private ServiceStatus awaitReady(
      ServiceDefinition d, Process process, ReadinessProbe probe, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        deletePidFile(d);
        List<String> tail = LogTail.lastLines(logFile(d), LOG_TAIL_LINES, LOG_MARKER);
        throw new OperatorException(
            "The service exited during start-up (exit code "
                + process.exitValue()
                + "). Last lines of "
                + logFile(d)
                + ":\n"
                + (tail.isEmpty() ? "(it printed nothing)" : String.join("\n", tail)));
      }
      if (isReady(probe)) {
        return new ServiceStatus(
            ServiceState.RUNNING, process.pid(), "running (pid " + process.pid() + ")");
      }
      if (System.nanoTime() - deadline > 0) {
        throw new OperatorException(
            "The service is still starting after "
                + timeout.toSeconds()
                + " s (pid "
                + process.pid()
                + "); it was left running. Follow its log at "
                + logFile(d)
                + ", and check again with service --status.");
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperatorException(
            "Interrupted while waiting for the service to start; it was left running (pid "
                + process.pid()
                + ").",
            e);
      }
    }
  }

  private static boolean isReady(ReadinessProbe probe) {
    try {
      return probe.isReady();
    } catch (RuntimeException e) {
      return false; // e.g. connection refused while the port is not open yet
    }
  }

  private static void terminate(ProcessHandle process, Duration timeout) {
    if (!process.destroy()) {
      throw new OperatorException(
          "Cannot signal the service process (pid "
              + process.pid()
              + "). Run the command as the user the service runs as, or as root.");
    }
    if (awaitExit(process, timeout)) {
      return;
    }
    process.destroyForcibly();
    if (!awaitExit(process, KILL_WAIT)) {
      throw new OperatorException(
          "The service process (pid "
              + process.pid()
              + ") did not exit, even when killed. Check it with: ps -o pid,stat,cmd -p "
              + process.pid());
    }
  }

  // Polls rather than using onExit(): for a process that is not our child (the usual case: it was
  // started by an earlier command) onExit() polls anyway, with a slower back-off.
  private static boolean awaitExit(ProcessHandle process, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.isAlive()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !process.isAlive();
      }
    }
    return true;
  }

  private Optional<ProcessHandle> runningProcess(ServiceDefinition d) {
    OptionalLong pid = readPid(d);
    return pid.isPresent() ? ours(pid.getAsLong(), d) : Optional.empty();
  }

  /** The live process with this pid, if its command line names the service (pids get reused). */
  private static Optional<ProcessHandle> ours(long pid, ServiceDefinition d) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(handle -> namesService(handle.info(), d.serviceName()));
  }

  private static boolean namesService(ProcessHandle.Info info, String serviceName) {
    Stream<String> words =
        info.arguments()
            .map(Arrays::stream)
            .orElseGet(
                () ->
                    info.commandLine()
                        .map(line -> Arrays.stream(line.split("\\s+")))
                        .orElse(Stream.empty()));
    return words.anyMatch(word -> word.equals(serviceName) || word.endsWith("=" + serviceName));
  }

  private static void requireRecognisable(ServiceDefinition d) {
    boolean named =
        d.command().stream()
            .anyMatch(w -> w.equals(d.serviceName()) || w.endsWith("=" + d.serviceName()));
    if (!named) {
      throw new IllegalArgumentException(
          "The command of service "
              + d.serviceName()
              + " must name it as an argument (e.g. -Dsepia.service="
              + d.serviceName()
              + "), so stop can tell its process from a recycled pid");
    }
  }

  private OptionalLong readPid(ServiceDefinition d) {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(pidFile(d)).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty(); // absent, or garbage that names no process we could own
    }
  }

  private void deletePidFile(ServiceDefinition d) {
    try {
      Files.deleteIfExists(pidFile(d));
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot delete the pid file " + pidFile(d) + ": " + AtomicFiles.reason(e) + ".", e);
    }
  }

  private static <T> T withLock(ServiceDefinition d, Duration timeout, Supplier<T> action) {
    return LockFile.call(d.stateDirectory().resolve("service.lock"), timeout, action);
  }
}
