package dev.sepia.crypto;

import java.security.SecureRandom;

/**
 * The one source of random bytes for this package. A shared {@link SecureRandom} is thread-safe and
 * holds no state a caller could observe, so sharing it is not global mutable state in the sense the
 * design forbids.
 */
final class Randomness {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Randomness() {}

  static byte[] bytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static SecureRandom secureRandom() {
    return RANDOM;
  }
}
