package dev.sepia.platform.cli;

/**
 * A failure explained for the person running the command: what happened, why, and what to do.
 * {@link CliRunner} prints its message as {@code Error: <message>} without a stack trace and exits
 * with its exit code (1 unless told otherwise; 2 for bad usage).
 */
public class OperatorException extends RuntimeException {

  private final int exitCode;

  public OperatorException(String message) {
    this(message, 1);
  }

  public OperatorException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** Keeps the underlying cause for {@code SEPIA_DEBUG=1}; the message must stand on its own. */
  public OperatorException(String message, Throwable cause) {
    super(message, cause);
    this.exitCode = 1;
  }

  public int exitCode() {
    return exitCode;
  }
}
