package dev.sepia.tentacle.scripts;

/** A shell this Tentacle does not run, or cannot find. Error type {@code UnsupportedShell}. */
public final class UnsupportedShell extends Exception {
  public UnsupportedShell(String message) {
    super(message);
  }
}
