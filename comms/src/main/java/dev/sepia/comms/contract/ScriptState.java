package dev.sepia.comms.contract;

/** Where a script is in its life. The last three are final. */
public enum ScriptState {
  PENDING,
  RUNNING,
  COMPLETE,
  CANCELLED,
  TIMED_OUT;

  /** Whether the script has stopped for good. */
  public boolean isFinished() {
    return this == COMPLETE || this == CANCELLED || this == TIMED_OUT;
  }
}
