package dev.sepia.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * API keys: {@code API-} followed by 32 base32 characters (160 random bits). The server stores only
 * a hash. A plain SHA-256 is right here, unlike for passwords: with 160 random bits there is
 * nothing to guess, so a slow hash would only slow down every API request.
 */
public final class ApiKeys {

  static final String PREFIX = "API-";
  private static final String HASH_PREFIX = "sha256:";
  private static final int RANDOM_BYTES = 20;
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private ApiKeys() {}

  /** A new random API key. */
  public static String generate() {
    return PREFIX + base32(Randomness.bytes(RANDOM_BYTES));
  }

  /** The form stored by the server: {@code sha256:} and 64 lower-case hex characters. */
  public static String hash(String apiKey) {
    Objects.requireNonNull(apiKey, "apiKey");
    return HASH_PREFIX + HexFormat.of().formatHex(sha256(apiKey));
  }

  /** Whether {@code apiKey} hashes to {@code storedHash}, compared in constant time. */
  public static boolean matches(String apiKey, String storedHash) {
    if (apiKey == null || storedHash == null) {
      return false;
    }
    return MessageDigest.isEqual(
        hash(apiKey).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  /** RFC 4648 base32, upper case; callers pass a multiple of 5 bytes, so no padding is needed. */
  static String base32(byte[] data) {
    if (data.length % 5 != 0) {
      throw new IllegalArgumentException("base32 here takes a multiple of 5 bytes");
    }
    StringBuilder out = new StringBuilder(data.length / 5 * 8);
    for (int i = 0; i < data.length; i += 5) {
      long group = 0;
      for (int j = 0; j < 5; j++) {
        group = (group << 8) | (data[i + j] & 0xFF);
      }
      for (int shift = 35; shift >= 0; shift -= 5) {
        out.append(BASE32[(int) ((group >>> shift) & 0x1F)]);
      }
    }
    return out.toString();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
