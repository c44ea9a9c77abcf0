package dev.sepia.tentacle.scripts;

/**
 * A start request that cannot be run as given: a missing script body, an environment variable name
 * a shell cannot hold, a negative time limit. Error type {@code InvalidScriptCommand}.
 */
public final class InvalidScriptCommand extends Exception {
  public InvalidScriptCommand(String message) {
    super(message);
  }
}
