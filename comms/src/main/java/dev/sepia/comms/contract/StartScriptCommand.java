package dev.sepia.comms.contract;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs a script under a ticket the caller chose, so that a retried start (after a lost connection)
 * finds the script already known and never runs it twice.
 *
 * <p>The script body, environment values and arguments may hold secrets (sensitive variables), so
 * {@code toString()} shows only their sizes and the environment's names.
 *
 * @param ticket {@code [A-Za-z0-9._-]{1,100}}, not only dots
 * @param shell {@code "bash"} or {@code "sh"}
 * @param timeoutSeconds 0 for none
 */
public record StartScriptCommand(
    String ticket,
    String scriptBody,
    String shell,
    Map<String, String> environment,
    List<String> arguments,
    long timeoutSeconds) {

  public StartScriptCommand {
    ContractChecks.ticket(ticket);
    scriptBody = scriptBody == null ? "" : scriptBody;
    environment = environment == null ? Map.of() : Map.copyOf(environment);
    arguments = arguments == null ? List.of() : List.copyOf(arguments);
    if (timeoutSeconds < 0) {
      throw new IllegalArgumentException("timeoutSeconds cannot be negative: " + timeoutSeconds);
    }
  }

  @Override
  public String toString() {
    return "StartScriptCommand[ticket="
        + ticket
        + ", shell="
        + shell
        + ", scriptBody=<"
        + scriptBody.length()
        + " chars>, environment="
        + new TreeSet<>(environment.keySet())
        + " (values masked), arguments=<"
        + arguments.size()
        + " masked>, timeoutSeconds="
        + timeoutSeconds
        + "]";
  }
}
