package dev.sepia.e2e.tentacle;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs sepia-tentacle as a separate process on one test "machine": its {@code SEPIA_MACHINE_DIR}
 * holds that machine's key and Tentacle registry, and services run as background processes.
 *
 * <p>Output goes to files rather than pipes, so a background service started by a command can never
 * keep the capture open.
 */
public final class SepiaTentacleCli {
  /** Longer than any command waits by itself (service --start waits up to 60 s). */
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final Path machineDir;
  private final Path captureDir;

  /**
   * @param machineDir the per-machine folder of this "machine"
   * @param captureDir where the output of each run is written (a test's temporary folder)
   */
  public SepiaTentacleCli(Path machineDir, Path captureDir) {
    this.machineDir = machineDir;
    this.captureDir = captureDir;
  }

  public Path machineDir() {
    return machineDir;
  }

  /** Runs one command to completion; a run that outlives the timeout is killed and fails. */
  public TentacleResult run(String... args) {
    List<String> arguments = List.of(args);
    try {
      Path out = Files.createTempFile(captureDir, "tentacle-out-", ".txt");
      Path err = Files.createTempFile(captureDir, "tentacle-err-", ".txt");
      Process process = launch(TentacleJvm.QUICK_START, arguments, out, err);
      boolean exited = process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        ForegroundTentacle.killTree(process);
      }
      TentacleResult result =
          new TentacleResult(
              arguments,
              exited ? process.exitValue() : -1,
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      if (!exited) {
        throw new AssertionError("Still running after " + TIMEOUT + ", killed: " + result);
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + arguments, e);
    }
  }

  /**
   * Starts a long-running command (such as {@code agent}) with extra JVM options and returns at
   * once. The caller must close what it gets.
   */
  public ForegroundTentacle start(List<String> jvmOptions, String... args) {
    List<String> arguments = List.of(args);
    try {
      Path out = Files.createTempFile(captureDir, "agent-out-", ".txt");
      Path err = Files.createTempFile(captureDir, "agent-err-", ".txt");
      return new ForegroundTentacle(arguments, launch(jvmOptions, arguments, out, err), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Process launch(List<String> jvmOptions, List<String> args, Path out, Path err)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(TentacleJvm.get().command(jvmOptions, args))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    // Nothing from the developer's shell may leak in: the machine folder is this test's.
    builder.environment().keySet().removeIf(name -> name.startsWith("SEPIA_"));
    builder.environment().put("SEPIA_MACHINE_DIR", machineDir.toString());
    builder.environment().put("SEPIA_SERVICE_MANAGER", "process");
    return builder.start();
  }
}
