package dev.sepia.server.engine.tasks;

/**
 * What a running task gets besides its arguments: its id, its log, and whether someone asked to
 * cancel it. Long work checks {@link #cancelRequested()} between steps and stops promptly.
 */
public final class TaskContext {
  private final String taskId;
  private final String requestedBy;
  private final TaskLog log;
  private volatile boolean cancelRequested;

  public TaskContext(String taskId, String requestedBy, TaskLog log) {
    this.taskId = taskId;
    this.requestedBy = requestedBy;
    this.log = log;
  }

  public String taskId() {
    return taskId;
  }

  /** The user who queued the task. */
  public String requestedBy() {
    return requestedBy;
  }

  public TaskLog log() {
    return log;
  }

  public boolean cancelRequested() {
    return cancelRequested;
  }

  /** Stops the task here if a cancel was asked for. */
  public void throwIfCancelled() throws TaskCancelledException {
    if (cancelRequested) {
      throw new TaskCancelledException();
    }
  }

  void requestCancel() {
    cancelRequested = true;
  }
}
