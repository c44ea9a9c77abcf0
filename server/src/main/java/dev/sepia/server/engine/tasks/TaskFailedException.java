package dev.sepia.server.engine.tasks;

/** A task failed for a reason its log already explains; no stack trace needed in the server log. */
public final class TaskFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  public TaskFailedException(String message) {
    super(message);
  }
}
