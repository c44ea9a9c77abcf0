package dev.sepia.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;

/**
 * The text format of every sensitive field: {@code sepia:v1:<key id>:<base64url(nonce || ciphertext
 * || tag)>}. The header says which key sealed the value, so opening tries only that key; the header
 * and the field's location are both authenticated as associated data, so neither a changed header
 * nor a value moved to another row opens.
 */
public final class FieldCipher {

  static final String PREFIX = "sepia:v1:";
  private static final int KEY_ID_LENGTH = 8;
  // nonce + tag, base64url without padding: the shortest possible body (empty plaintext).
  private static final int MIN_BODY_CHARS = (4 * (AesGcm.NONCE_BYTES + AesGcm.TAG_BYTES) + 2) / 3;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private FieldCipher() {}

  /** Seals {@code plaintext} with the keyring's active key, bound to {@code where}. */
  public static String seal(Keyring ring, FieldLocation where, byte[] plaintext)
      throws GeneralSecurityException {
    SymmetricKey key = ring.active();
    byte[] payload = key.aead().encrypt(plaintext, associatedData(where, key.keyId()));
    return PREFIX + key.keyId() + ":" + ENCODER.encodeToString(payload);
  }

  /**
   * Opens a value sealed by {@link #seal} at the same location.
   *
   * @throws UnknownKeyException if the keyring lacks the key the value names
   * @throws DecryptionFailedException if the value is malformed, changed, moved or the key is wrong
   */
  public static byte[] open(Keyring ring, FieldLocation where, String sealed)
      throws GeneralSecurityException {
    Objects.requireNonNull(ring, "ring");
    Objects.requireNonNull(where, "where");
    if (!looksSealed(sealed)) {
      throw new DecryptionFailedException();
    }
    String keyId = sealed.substring(PREFIX.length(), PREFIX.length() + KEY_ID_LENGTH);
    String body = sealed.substring(PREFIX.length() + KEY_ID_LENGTH + 1);
    byte[] payload = decodeCanonical(body);
    SymmetricKey key = ring.find(keyId).orElseThrow(() -> new UnknownKeyException(keyId));
    return key.aead().decrypt(payload, associatedData(where, keyId));
  }

  /** {@link #seal} for text, encoded as UTF-8. */
  public static String sealString(Keyring ring, FieldLocation where, String plaintext)
      throws GeneralSecurityException {
    return seal(ring, where, plaintext.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #open} for text sealed by {@link #sealString}. */
  public static String openString(Keyring ring, FieldLocation where, String sealed)
      throws GeneralSecurityException {
    return new String(open(ring, where, sealed), StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code value} has the shape of a sealed value. A syntax check only — it needs no key
   * and says nothing about whether the value opens — for scans hunting ciphertext outside the
   * catalogue.
   */
  public static boolean looksSealed(String value) {
    if (value == null
        || !value.startsWith(PREFIX)
        || value.length() < PREFIX.length() + KEY_ID_LENGTH + 1 + MIN_BODY_CHARS) {
      return false;
    }
    int separator = PREFIX.length() + KEY_ID_LENGTH;
    if (!SymmetricKey.isKeyId(value.substring(PREFIX.length(), separator))
        || value.charAt(separator) != ':') {
      return false;
    }
    for (int i = separator + 1; i < value.length(); i++) {
      if (!isBase64UrlChar(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The key id named in a sealed value's header (not verified: only opening proves it).
   *
   * @throws IllegalArgumentException if {@code sealed} is not shaped like a sealed value
   */
  public static String keyIdOf(String sealed) {
    if (!looksSealed(sealed)) {
      throw new IllegalArgumentException(
          "Not a sealed Sepia value (expected sepia:v1:<key id>:<data>).");
    }
    return sealed.substring(PREFIX.length(), PREFIX.length() + KEY_ID_LENGTH);
  }

  /** Header (version and key id), then NUL, then the location: all authenticated, none secret. */
  static byte[] associatedData(FieldLocation where, String keyId) {
    byte[] header = (PREFIX + keyId + '\0').getBytes(StandardCharsets.UTF_8);
    byte[] location = where.associatedData();
    byte[] aad = new byte[header.length + location.length];
    System.arraycopy(header, 0, aad, 0, header.length);
    System.arraycopy(location, 0, aad, header.length, location.length);
    return aad;
  }

  // Only the canonical encoding is accepted, so every sealed value has exactly one spelling.
  private static byte[] decodeCanonical(String body) throws DecryptionFailedException {
    byte[] payload;
    try {
      payload = DECODER.decode(body);
    } catch (IllegalArgumentException e) {
      throw new DecryptionFailedException();
    }
    if (!ENCODER.encodeToString(payload).equals(body)) {
      throw new DecryptionFailedException();
    }
    return payload;
  }

  private static boolean isBase64UrlChar(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }
}
