package dev.sepia.e2e.tentacle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sepia-tentacle process started in the foreground (usually {@code agent}). Closing it stops it
 * as a service manager would (SIGTERM), and kills it and everything it started if that is not
 * enough, so no script or agent outlives its test.
 */
public final class ForegroundTentacle implements AutoCloseable {
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);

  private final List<String> command;
  private final Process process;
  private final Path out;
  private final Path err;

  ForegroundTentacle(List<String> command, Process process, Path out, Path err) {
    this.command = command;
    this.process = process;
    this.out = out;
    this.err = err;
    Leftovers.stopAtExit(() -> killTree(process));
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Everything the process has printed so far (its log goes to stderr). */
  public String log() {
    try {
      return Files.readString(out, StandardCharsets.UTF_8)
          + Files.readString(err, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the output contains {@code text}; fails at once if the process exits first, and
   * after {@code timeout} otherwise.
   */
  public ForegroundTentacle awaitLog(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!log().contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "sepia-tentacle "
                + String.join(" ", command)
                + " exited (code "
                + process.exitValue()
                + ") before printing '"
                + text
                + "':\n"
                + log());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "No '" + text + "' from sepia-tentacle within " + timeout + ":\n" + log());
      }
      Waits.pause(Duration.ofMillis(50));
    }
    return this;
  }

  /** Sends SIGTERM and waits for the process to end; fails (after killing it) if it does not. */
  public TentacleResult stop(Duration timeout) {
    process.destroy();
    return awaitExit(timeout);
  }

  /** Waits for the process to end by itself; fails (after killing it) if it does not. */
  public TentacleResult awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(process);
        throw new AssertionError(
            "sepia-tentacle " + String.join(" ", command) + " still ran after " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    try {
      return new TentacleResult(
          command,
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> started = process.descendants().toList();
    process.destroy();
    try {
      process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    started.forEach(ProcessHandle::destroyForcibly);
    killTree(process);
  }

  /**
   * Kills a process and its descendants at once. The descendants are listed first: once the parent
   * is gone they are no longer its descendants.
   */
  static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
