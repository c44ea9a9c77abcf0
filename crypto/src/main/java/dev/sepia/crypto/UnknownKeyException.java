package dev.sepia.crypto;

import java.security.GeneralSecurityException;

/**
 * A value names a key that the keyring does not hold — for example a key that was removed after a
 * rotation, or a database restored next to the wrong master key. Only key ids appear in the
 * message; they are public metadata.
 */
public final class UnknownKeyException extends GeneralSecurityException {

  private final String keyId;

  public UnknownKeyException(String keyId) {
    super("The value was sealed with key " + keyId + ", which is not in this keyring");
    this.keyId = keyId;
  }

  /** The key id named by the value. */
  public String keyId() {
    return keyId;
  }
}
