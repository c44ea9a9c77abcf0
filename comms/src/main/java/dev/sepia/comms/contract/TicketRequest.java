package dev.sepia.comms.contract;

/** Names a script, to cancel or complete it. */
public record TicketRequest(String ticket) {

  public TicketRequest {
    ContractChecks.ticket(ticket);
  }
}
