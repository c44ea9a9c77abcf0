package dev.sepia.comms.contract;

/** Asks for a script's state and the log lines after {@code afterSequence} (0 for all). */
public record ScriptStatusRequest(String ticket, long afterSequence) {

  public ScriptStatusRequest {
    ContractChecks.ticket(ticket);
  }
}
