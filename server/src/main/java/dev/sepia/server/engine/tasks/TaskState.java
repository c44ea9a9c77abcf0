package dev.sepia.server.engine.tasks;

/** Queued → Executing → Success / Failed / Cancelled. */
public enum TaskState {
  Queued,
  Executing,
  Success,
  Failed,
  Cancelled;

  public boolean isFinished() {
    return this == Success || this == Failed || this == Cancelled;
  }
}
