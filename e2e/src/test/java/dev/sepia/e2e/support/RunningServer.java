package dev.sepia.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A sepia-server process started in the foreground ({@code run}); closing it kills it. */
public final class RunningServer implements AutoCloseable {
  private final List<String> command;
  private final Process process;
  private final Path out;
  private final Path err;

  RunningServer(List<String> command, Process process, Path out, Path err) {
    this.command = command;
    this.process = process;
    this.out = out;
    this.err = err;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends SIGTERM, as a service manager or Ctrl-C would, and waits for the process to end. */
  public CliResult terminate(Duration timeout) {
    process.destroy();
    return awaitExit(timeout);
  }

  /** Waits for the process to end by itself. */
  public CliResult awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        SepiaServerCli.kill(process);
        throw new AssertionError("Still running after " + timeout + ", killed: " + output(-1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return output(process.exitValue());
  }

  /** What the process has printed so far, for failure messages. */
  public CliResult output(int exitCode) {
    try {
      return new CliResult(
          command,
          exitCode,
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    SepiaServerCli.kill(process);
  }
}
