package dev.sepia.e2e.tentacle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Last-resort cleanup of a service started in the background by {@code service --start}: finds it
 * by its pid file and stops it, so that no server or Tentacle outlives its test.
 *
 * <p>The process is recognised by the {@code -Dsepia.service=NAME} marker near the start of its
 * command line. Java shows at most the first 4096 characters of another process's command line on
 * Linux, and the class path pushes the main class name beyond them.
 */
public final class ServiceProcesses {
  private static final long GRACE_SECONDS = 20;

  private ServiceProcesses() {}

  /**
   * SIGTERM to the service named in {@code stateDir/service.pid}, SIGKILL to it and what it started
   * if it has not ended after a grace period. Does nothing if there is no such live process.
   */
  public static void stop(Path stateDir, String serviceName) {
    Optional<ProcessHandle> service = find(stateDir.resolve("service.pid"), serviceName);
    if (service.isEmpty()) {
      return;
    }
    ProcessHandle process = service.get();
    List<ProcessHandle> started = process.descendants().toList();
    process.destroy();
    try {
      process.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      try {
        process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
      } catch (CompletionException stillThere) {
        // Nothing more can be done from here; the test's temporary folder shows where it ran.
      }
    }
    started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static Optional<ProcessHandle> find(Path pidFile, String serviceName) {
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).strip());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    String marker = "-Dsepia.service=" + serviceName;
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(line -> Arrays.asList(line.split("\\s+")).contains(marker))
                    .orElse(false));
  }
}
