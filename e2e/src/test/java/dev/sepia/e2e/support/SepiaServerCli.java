package dev.sepia.e2e.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs sepia-server as a separate process, the way an operator does (see {@link ServerJvm} for the
 * exact command line). Each instance of this class stands for one machine: its {@code
 * SEPIA_MACHINE_DIR} holds that machine's key and instance registry.
 *
 * <p>Output goes to files rather than pipes, so a background service started by a command can never
 * keep the capture open.
 */
public final class SepiaServerCli {
  /** Longer than service --start waits for a server by default (120 s), so it can report. */
  private static final Duration TIMEOUT = Duration.ofSeconds(150);

  private final Path machineDir;
  private final Path captureDir;
  private final Map<String, String> environment;

  /**
   * @param machineDir the per-machine folder of this "machine"
   * @param captureDir where stdout and stderr of each run are written (a test's temp folder)
   */
  public SepiaServerCli(Path machineDir, Path captureDir) {
    this(machineDir, captureDir, Map.of());
  }

  /**
   * As above, with environment variables every run on this machine sees (such as a passphrase named
   * by {@code --passphraseEnv}, which must not be on a command line).
   */
  public SepiaServerCli(Path machineDir, Path captureDir, Map<String, String> environment) {
    this.machineDir = machineDir;
    this.captureDir = captureDir;
    this.environment = Map.copyOf(environment);
  }

  public Path machineDir() {
    return machineDir;
  }

  /** Runs one command to completion; a run that outlives the timeout is killed and fails. */
  public CliResult run(String... args) {
    Duration timeout = TIMEOUT;
    List<String> command = List.of(args);
    try {
      Path out = Files.createTempFile(captureDir, "stdout-", ".txt");
      Path err = Files.createTempFile(captureDir, "stderr-", ".txt");
      Process process = builder(command, out.toFile(), err.toFile()).start();
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        kill(process);
      }
      CliResult result =
          new CliResult(
              command,
              exited ? process.exitValue() : -1,
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      if (!exited) {
        throw new AssertionError("Still running after " + timeout + ", killed: " + result);
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command, e);
    }
  }

  /**
   * Starts a long-running command (such as {@code run}) and returns at once. The caller must {@link
   * RunningServer#close()} it.
   */
  public RunningServer start(String... args) {
    List<String> command = List.of(args);
    try {
      Path out = Files.createTempFile(captureDir, "stdout-", ".txt");
      Path err = Files.createTempFile(captureDir, "stderr-", ".txt");
      Process process = builder(command, out.toFile(), err.toFile()).start();
      return new RunningServer(command, process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ProcessBuilder builder(List<String> args, File out, File err) {
    ProcessBuilder builder =
        new ProcessBuilder(ServerJvm.get().command(args))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out)
            .redirectError(err);
    // Nothing from the developer's shell may leak in: the machine folder is this test's.
    builder.environment().keySet().removeIf(name -> name.startsWith("SEPIA_"));
    builder.environment().put("SEPIA_MACHINE_DIR", machineDir.toString());
    builder.environment().put("SEPIA_SERVICE_MANAGER", "process");
    builder.environment().putAll(environment);
    return builder;
  }

  static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
