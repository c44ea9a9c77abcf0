package dev.sepia.server.engine.tasks;

/** A task stopped because a user cancelled it; the task ends as Cancelled, not Failed. */
public final class TaskCancelledException extends Exception {
  private static final long serialVersionUID = 1L;

  public TaskCancelledException() {
    super("The task was cancelled.");
  }
}
