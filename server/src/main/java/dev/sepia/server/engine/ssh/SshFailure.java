package dev.sepia.server.engine.ssh;

import java.util.Objects;

/**
 * Why talking to an SSH target failed. The message is written for an operator: what happened and
 * what fixes it. It never holds a password, a key or a passphrase.
 */
public final class SshFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** What kind of problem it was, so callers can tell a health status or a retry apart. */
  public enum Kind {
    /** No SSH connection could be made (name not resolved, refused, timed out, no SSH server). */
    UNREACHABLE,
    /** The server presented a host key other than the one the target pins. */
    HOST_KEY_MISMATCH,
    /** The server refused the account's password or key. */
    AUTHENTICATION_FAILED,
    /** The account's private key cannot be read (bad format, wrong or missing passphrase). */
    INVALID_CREDENTIALS,
    /** The run was cancelled. */
    CANCELLED,
    /** Anything else: the session broke, the script could not be started, … */
    FAILED
  }

  private final Kind kind;

  public SshFailure(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public SshFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }
}
