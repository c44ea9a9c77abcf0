package dev.sepia.tentacle.files;

/**
 * An upload whose bytes are not what the caller announced (length or SHA-256); nothing was kept.
 * Error type {@code HashMismatch}.
 */
public final class HashMismatch extends Exception {
  public HashMismatch(String message) {
    super(message);
  }
}
