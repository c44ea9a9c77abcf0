package dev.sepia.tentacle.scripts;

/**
 * No script with this ticket is known here: never started, or already completed. The class name is
 * the error type the caller sees ({@code UnknownTicket}).
 */
public final class UnknownTicket extends Exception {
  public UnknownTicket(String ticket) {
    super(
        "This Tentacle knows no script with ticket '"
            + ticket
            + "': it was never started here, or it was completed and its workspace deleted.");
  }
}
