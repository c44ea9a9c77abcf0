package dev.sepia.server.security;

/** A sensitive value was needed before the master key was verified against the database. */
public final class SealedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public SealedException() {
    super(
        "Sensitive data is sealed: the master key has not been verified against the database."
            + " Start the server with the right master key (sepia-server database --masterKey"
            + " …, or set-master-key), or run lost-master-key if it is gone.");
  }
}
