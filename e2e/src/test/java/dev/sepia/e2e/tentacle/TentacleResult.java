package dev.sepia.e2e.tentacle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * What one run of sepia-tentacle did: its exit code and everything it printed.
 *
 * @param command the arguments given to sepia-tentacle
 */
public record TentacleResult(List<String> command, int exitCode, String stdout, String stderr) {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_USAGE = 2;

  /** Asserts exit code 0, showing the whole run if it was anything else. */
  public TentacleResult succeeded() {
    return exited(OK);
  }

  /** Asserts the exit code, showing the whole run if it differs. */
  public TentacleResult exited(int expected) {
    assertThat(exitCode).as("exit code of %s", this).isEqualTo(expected);
    return this;
  }

  /** The operator-facing error: stderr from its {@code Error: } line on (log lines dropped). */
  public String error() {
    int at = stderr.startsWith("Error: ") ? 0 : stderr.indexOf("\nError: ");
    assertThat(at).as("an 'Error: ' line in the stderr of %s", this).isNotNegative();
    return stderr.substring(at).strip();
  }

  @Override
  public String toString() {
    return "sepia-tentacle "
        + String.join(" ", command)
        + "\n  exit code: "
        + exitCode
        + "\n  --- stdout ---\n"
        + stdout
        + "\n  --- stderr ---\n"
        + stderr;
  }
}
