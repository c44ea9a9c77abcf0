package dev.sepia.crypto;

import java.security.GeneralSecurityException;

/**
 * Every decryption failure looks like this one: same message, no cause. A cause or a more precise
 * message could tell an attacker which check failed, or carry key material into a log.
 */
public final class DecryptionFailedException extends GeneralSecurityException {

  static final String MESSAGE = "decryption failed";

  public DecryptionFailedException() {
    super(MESSAGE);
  }

  /**
   * For formats whose reader must tell a person what to check (a passphrase box says "wrong
   * passphrase or damaged data"); still one fixed message for every failure of that format.
   */
  DecryptionFailedException(String fixedMessage) {
    super(fixedMessage);
  }

  /** Refused: a chained cause could leak details of the failed check (see the class comment). */
  @Override
  public synchronized Throwable initCause(Throwable cause) {
    throw new IllegalStateException("DecryptionFailedException never carries a cause");
  }
}
