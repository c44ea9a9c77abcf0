package dev.sepia.server.engine.tasks;

/**
 * A task that may not be queued (a retry of a deployment its lifecycle no longer allows, a release
 * that was deleted…); the message says why, the status is the HTTP status that fits.
 */
public class TaskRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public TaskRefusedException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** 404 for something missing, 409 for a rule. */
  public int status() {
    return status;
  }
}
