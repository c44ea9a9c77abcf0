package dev.sepia.server.model.certificates;

/**
 * An uploaded certificate file that cannot be used, with a message for the person who uploaded it.
 * Never carries the password or key bytes, and chains no parser exception that might.
 */
public final class CertificateFileException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the file was refused. */
  public enum Reason {
    /** The file is not in a format Sepia reads. */
    NOT_A_CERTIFICATE,
    /** The file, or its key, is protected by a password that was not given. */
    PASSWORD_NEEDED,
    /** The password given does not open the file or its key. */
    WRONG_PASSWORD,
    /** The file reads, but its content cannot be used (no certificate, key not matching, …). */
    UNUSABLE
  }

  private final Reason reason;

  public CertificateFileException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
