package dev.sepia.platform.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs a short external command (systemctl, journalctl) and collects what it printed. */
interface CommandRunner {

  Result run(List<String> argv) throws IOException;

  record Result(int exitCode, String stdout, String stderr) {}

  /** Runs the command for real; stderr is read concurrently so a chatty command cannot block. */
  CommandRunner SYSTEM =
      argv -> {
        Process process =
            new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<String> stderr =
            CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String stdout = readAll(process.getInputStream());
        try {
          int exitCode = process.waitFor();
          return new Result(exitCode, stdout, stderr.join());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroy();
          throw new IOException("interrupted while running " + argv.get(0), e);
        }
      };

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
