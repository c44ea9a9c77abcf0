package dev.sepia.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * What one run of sepia-server did: its exit code and everything it printed.
 *
 * @param command the arguments given to sepia-server
 */
public record CliResult(List<String> command, int exitCode, String stdout, String stderr) {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_USAGE = 2;

  /** Asserts exit code 0, showing the whole run if it was anything else. */
  public CliResult succeeded() {
    return exited(OK);
  }

  /** Asserts the exit code, showing the whole run if it differs. */
  public CliResult exited(int expected) {
    assertThat(exitCode).as("exit code of %s", this).isEqualTo(expected);
    return this;
  }

  /**
   * The operator-facing error: stderr from the first line that starts with {@code Error: } to the
   * end (log lines before it are dropped).
   */
  public String error() {
    int at = stderr.startsWith("Error: ") ? 0 : stderr.indexOf("\nError: ");
    assertThat(at).as("an 'Error: ' line in the stderr of %s", this).isNotNegative();
    return stderr.substring(at).strip();
  }

  /** Stdout without its trailing line break. */
  public String out() {
    return stdout.strip();
  }

  @Override
  public String toString() {
    return "sepia-server "
        + String.join(" ", command)
        + "\n  exit code: "
        + exitCode
        + "\n  --- stdout ---\n"
        + stdout
        + "\n  --- stderr ---\n"
        + stderr;
  }
}
