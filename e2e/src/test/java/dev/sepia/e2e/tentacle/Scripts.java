package dev.sepia.e2e.tentacle;

import dev.sepia.comms.contract.StartScriptCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Scripts for a Tentacle to run, and what they leave behind. */
public final class Scripts {
  private Scripts() {}

  /** A fresh ticket: as a server chooses one per script run. */
  public static String ticket(String what) {
    return what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A bash script with no variables, arguments or time limit. */
  public static StartScriptCommand bash(String ticket, String body) {
    return new StartScriptCommand(ticket, body, "bash", Map.of(), List.of(), 0);
  }

  /** A bash script that receives these environment variables. */
  public static StartScriptCommand bash(String ticket, String body, Map<String, String> variables) {
    return new StartScriptCommand(ticket, body, "bash", variables, List.of(), 0);
  }

  /**
   * A bash script whose first line appends one line to {@code marker}: the number of lines there is
   * the number of times it ran.
   */
  public static StartScriptCommand countingRuns(String ticket, Path marker, String rest) {
    return bash(
        ticket,
        "echo \"ran\" >> \"$RUN_MARKER\"\n" + rest,
        Map.of("RUN_MARKER", marker.toString()));
  }

  /** How many times a {@link #countingRuns} script ran. */
  public static int runs(Path marker) {
    try {
      return Files.exists(marker) ? Files.readAllLines(marker).size() : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
