package dev.sepia.comms.contract;

import java.util.List;

/**
 * A script's state, with the log lines asked for.
 *
 * @param exitCode null until the script has finished
 * @param logs lines with sequence above the one asked for, at most 1000
 * @param lastSequence the sequence of the last line returned (or asked for, if none)
 */
public record ScriptStatus(
    String ticket,
    ScriptState state,
    Integer exitCode,
    List<ScriptLogLine> logs,
    long lastSequence) {

  /** Most lines one status answer carries; ask again after {@code lastSequence} for more. */
  public static final int MAX_LOG_LINES = 1000;

  public ScriptStatus {
    logs = logs == null ? List.of() : List.copyOf(logs);
  }
}
