package dev.sepia.platform.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A stand-in for the server, run as a real process by the service tests.
 *
 * <ul>
 *   <li>{@code serve READY_FILE} prints a greeting, its environment and working directory, writes
 *       its pid to READY_FILE (atomically) and sleeps until killed;
 *   <li>{@code stubborn READY_FILE} does the same but its shutdown hook never finishes, so only
 *       SIGKILL ends it;
 *   <li>{@code fail CODE} prints an error and exits with CODE at once.
 * </ul>
 */
public final class FakeService {

  private FakeService() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "fail" -> {
        System.out.println("loading configuration");
        System.err.println("boom: the config file is missing");
        System.exit(Integer.parseInt(args[1]));
      }
      case "serve", "stubborn" -> {
        if (args[0].equals("stubborn")) {
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        try {
                          Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
        }
        System.out.println("fake service started");
        System.out.println("env FAKE_GREETING=" + System.getenv("FAKE_GREETING"));
        System.out.println("cwd " + Path.of("").toAbsolutePath());
        System.out.flush();
        Path ready = Path.of(args[1]);
        Path temp = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(temp, Long.toString(ProcessHandle.current().pid()));
        Files.move(temp, ready, StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(Long.MAX_VALUE);
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }
}
