package dev.sepia.bundle;

import dev.sepia.variables.LogMasker;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Runs one step's substituted script with bash: from a private temporary file (folder 0700, file
 * 0600, both removed afterwards, since the text may hold secrets), with no standard input, its
 * output and errors merged and every line masked before it is printed.
 */
final class StepScript {

  private StepScript() {}

  /**
   * The script's exit code.
   *
   * @throws IOException if bash cannot be started or the temporary file cannot be written
   */
  static int run(String text, Path bundleDirectory, LogMasker masker, PrintStream out)
      throws IOException, InterruptedException {
    Path folder =
        Files.createTempDirectory(
            "sepia-bundle-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path script = folder.resolve("step.sh");
    try {
      Files.createFile(
          script,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(script, text);
      ProcessBuilder builder =
          new ProcessBuilder("bash", script.toString())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().remove(PasswordPrompt.ENVIRONMENT_VARIABLE);
      builder.environment().put("SEPIA_BUNDLE_DIR", bundleDirectory.toString());
      Process process = builder.start();
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          out.println(masker.mask(line));
        }
        return process.waitFor();
      } finally {
        process.destroyForcibly();
      }
    } finally {
      Files.deleteIfExists(script);
      Files.deleteIfExists(folder);
    }
  }
}
