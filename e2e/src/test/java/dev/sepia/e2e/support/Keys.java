package dev.sepia.e2e.support;

import java.security.SecureRandom;
import java.util.Base64;

/** Keys an operator might paste: well-formed ones that open nothing, and ones of the wrong size. */
public final class Keys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Keys() {}

  /** A freshly generated 256-bit key in base64: well-formed, but no database's key. */
  public static String someOtherMasterKey() {
    return randomBase64(32);
  }

  /** A 128-bit key in base64: the wrong size for Sepia. */
  public static String a128BitKey() {
    return randomBase64(16);
  }

  private static String randomBase64(int bytes) {
    byte[] key = new byte[bytes];
    RANDOM.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
