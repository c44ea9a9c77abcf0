package dev.sepia.server.recovery;

import java.security.GeneralSecurityException;

/**
 * A sensitive value is needed but a recovery from a lost master key cleared it: it must be entered
 * again. The message names the value, its owner and where to set it; it never holds a secret. It is
 * a {@link GeneralSecurityException} so that every caller already handling "cannot be opened"
 * handles it too.
 */
public final class ClearedValueException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public ClearedValueException(String message) {
    super(message);
  }
}
