package dev.sepia.crypto;

import java.util.Arrays;
import java.util.Base64;

/**
 * WARNING: this class exposes raw key material. Use it only to show a key to an operator or to hand
 * it over to them (for example {@code show-master-key}), never to log, store or compare keys. Every
 * call site is a place a secret leaves the process; keep them few and easy to find by this class's
 * name.
 */
public final class InsecureKeyAccess {

  private InsecureKeyAccess() {}

  /** A copy of the 32 key bytes; the caller should wipe it when done. */
  public static byte[] rawBytes(SymmetricKey key) {
    return key.copyOfBytes();
  }

  /**
   * The key as 44 characters of standard, padded base64, as {@link SymmetricKey#fromBase64} reads.
   */
  public static String toBase64(SymmetricKey key) {
    byte[] raw = key.copyOfBytes();
    try {
      return Base64.getEncoder().encodeToString(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }
}
