package dev.sepia.tentacle.files;

/** An upload request without a usable length or SHA-256. Error type {@code InvalidUpload}. */
public final class InvalidUpload extends Exception {
  public InvalidUpload(String message) {
    super(message);
  }
}
