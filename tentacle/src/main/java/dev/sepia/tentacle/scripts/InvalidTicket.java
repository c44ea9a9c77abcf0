package dev.sepia.tentacle.scripts;

/** A ticket that cannot name a workspace folder. Error type {@code InvalidTicket}. */
public final class InvalidTicket extends Exception {
  public InvalidTicket(String ticket) {
    super(
        "'"
            + ticket
            + "' is not a valid script ticket: use 1 to 100 letters, digits, '.', '_' or '-' (and"
            + " not '.' or '..').");
  }
}
