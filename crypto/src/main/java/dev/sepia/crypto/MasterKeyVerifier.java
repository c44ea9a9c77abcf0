package dev.sepia.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A value stored next to the encrypted data that tells whether a given master key is the right one,
 * so a wrong key is refused at start-up instead of being discovered later as failures. Format:
 * {@code sepia-verifier:v1:<key id>:<base64 salt>:<base64 HMAC-SHA256(key, domain || salt)>}.
 *
 * <p>The key id alone is only 32 bits and could collide; the salted HMAC proves the key itself
 * while revealing nothing about it.
 */
public final class MasterKeyVerifier {

  static final String PREFIX = "sepia-verifier:v1:";
  private static final byte[] DOMAIN =
      "sepia-master-key-verifier-v1".getBytes(StandardCharsets.US_ASCII);
  private static final int SALT_BYTES = 16;
  private static final int MAC_BYTES = 32;

  private MasterKeyVerifier() {}

  /** A new verifier for {@code key}, with a fresh random salt. */
  public static String create(SymmetricKey key) {
    byte[] salt = Randomness.bytes(SALT_BYTES);
    Base64.Encoder base64 = Base64.getEncoder();
    return PREFIX
        + key.keyId()
        + ":"
        + base64.encodeToString(salt)
        + ":"
        + base64.encodeToString(mac(key, salt));
  }

  /** Whether {@code key} is the key the verifier was made for; false for a malformed verifier. */
  public static boolean matches(String verifier, SymmetricKey key) {
    Parsed parsed = parse(verifier);
    if (parsed == null) {
      return false;
    }
    // The key id is public, so comparing it first leaks nothing; the MAC compare is constant time.
    return parsed.keyId().equals(key.keyId())
        && MessageDigest.isEqual(parsed.mac(), mac(key, parsed.salt()));
  }

  /**
   * The id of the key the verifier was made for, for messages such as "the database expects key
   * 1a2b3c4d".
   *
   * @throws IllegalArgumentException if the verifier is malformed
   */
  public static String keyIdOf(String verifier) {
    Parsed parsed = parse(verifier);
    if (parsed == null) {
      throw new IllegalArgumentException(
          "Not a Sepia master key verifier (expected sepia-verifier:v1:<key id>:<salt>:<mac>).");
    }
    return parsed.keyId();
  }

  private record Parsed(String keyId, byte[] salt, byte[] mac) {}

  private static Parsed parse(String verifier) {
    if (verifier == null || !verifier.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = verifier.substring(PREFIX.length()).split(":", -1);
    if (parts.length != 3 || !SymmetricKey.isKeyId(parts[0])) {
      return null;
    }
    try {
      byte[] salt = Base64.getDecoder().decode(parts[1]);
      byte[] mac = Base64.getDecoder().decode(parts[2]);
      if (salt.length != SALT_BYTES || mac.length != MAC_BYTES) {
        return null;
      }
      return new Parsed(parts[0], salt, mac);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] mac(SymmetricKey key, byte[] salt) {
    byte[] raw = key.copyOfBytes();
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(raw, "HmacSHA256"));
      hmac.update(DOMAIN);
      return hmac.doFinal(salt);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this Java runtime", e);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }
}
