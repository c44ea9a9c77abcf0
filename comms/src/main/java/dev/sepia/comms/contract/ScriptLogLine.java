package dev.sepia.comms.contract;

import java.time.Instant;

/**
 * One line of a script's output.
 *
 * @param sequence increasing from 1 per ticket; ask for lines after the last one seen
 * @param source {@code "stdout"}, {@code "stderr"} or {@code "system"}
 */
public record ScriptLogLine(long sequence, Instant time, String source, String text) {

  public static final String STDOUT = "stdout";
  public static final String STDERR = "stderr";
  public static final String SYSTEM = "system";
}
