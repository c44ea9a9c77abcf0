package dev.sepia.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 256-bit AES key. Callers get an {@link Aead} from it and never see the bytes; raw access goes
 * through {@link InsecureKeyAccess}. There is deliberately no {@code equals}/{@code hashCode}: use
 * {@link #sameKeyAs}, which compares in constant time, so keys never end up in hash maps or in
 * comparisons that leak timing.
 */
public final class SymmetricKey {

  static final int LENGTH_BYTES = 32;
  private static final int ID_BYTES = 4;
  private static final byte[] ID_DOMAIN = "sepia-key-id-v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] bytes;
  private final String keyId;

  private SymmetricKey(byte[] bytes) {
    this.bytes = bytes.clone();
    this.keyId = computeKeyId(this.bytes);
  }

  /** A fresh random key. */
  public static SymmetricKey generate() {
    return new SymmetricKey(Randomness.bytes(LENGTH_BYTES));
  }

  /**
   * Reads a key shown by {@link InsecureKeyAccess#toBase64} (for example pasted by an operator).
   * Surrounding whitespace is ignored. Error messages never repeat the input.
   *
   * @throws IllegalArgumentException if the text is not base64 or not 32 bytes long
   */
  public static SymmetricKey fromBase64(String base64) {
    Objects.requireNonNull(base64, "base64");
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      // Not chained: the decoder's message quotes the offending character of the key.
      throw new IllegalArgumentException("The key is not valid base64.");
    }
    try {
      return fromBytes(decoded);
    } finally {
      Arrays.fill(decoded, (byte) 0);
    }
  }

  /** Package-private: outside this package raw bytes go through {@link InsecureKeyAccess}. */
  static SymmetricKey fromBytes(byte[] raw) {
    if (raw.length != LENGTH_BYTES) {
      throw new IllegalArgumentException(
          "A Sepia key is 256 bits: 32 bytes, written as 44 base64 characters; this one is "
              + raw.length
              + " bytes.");
    }
    return new SymmetricKey(raw);
  }

  /** Public, stable identifier of this key: 8 lower-case hex characters. Not secret. */
  public String keyId() {
    return keyId;
  }

  /** AES-256-GCM under this key; output is nonce (12 bytes) || ciphertext || tag (16 bytes). */
  public Aead aead() {
    return new AesGcm(bytes);
  }

  /** Whether both objects hold the same key material, compared in constant time. */
  public boolean sameKeyAs(SymmetricKey other) {
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  /** A copy of the key bytes, for code in this package that needs them (HMAC, export). */
  byte[] copyOfBytes() {
    return bytes.clone();
  }

  /** True for strings shaped like a key id; checked before any untrusted id is echoed. */
  static boolean isKeyId(String candidate) {
    if (candidate == null || candidate.length() != 2 * ID_BYTES) {
      return false;
    }
    for (int i = 0; i < candidate.length(); i++) {
      char c = candidate.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static String computeKeyId(byte[] key) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(ID_DOMAIN);
      sha256.update(key);
      return HexFormat.of().formatHex(sha256.digest(), 0, ID_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "SymmetricKey{id=" + keyId + ", <masked>}";
  }
}
