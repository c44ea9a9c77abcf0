package dev.sepia.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Proves that bytes kept outside the database (a backup's manifest) were written by a holder of the
 * master key and not changed since: an HMAC-SHA256 tag under a key derived from the master key for
 * one named purpose, so a tag made for one purpose never passes for another and the master key
 * itself is never used as an HMAC key. Format: {@code sepia-tag:v1:<key id>:<base64 tag>}.
 *
 * <p>A checksum only catches damage; anyone can recompute it after a change. This tag cannot be
 * recomputed without the key.
 */
public final class KeyedTag {

  static final String PREFIX = "sepia-tag:v1:";
  private static final String DOMAIN = "sepia-keyed-tag-v1:";
  private static final int TAG_BYTES = 32;

  private KeyedTag() {}

  /** The tag of {@code data} under {@code key}, for {@code purpose} (e.g. "backup-manifest"). */
  public static String create(SymmetricKey key, String purpose, byte[] data) {
    return PREFIX + key.keyId() + ":" + Base64.getEncoder().encodeToString(tag(key, purpose, data));
  }

  /**
   * Whether {@code tag} was made by {@code key} for {@code purpose} over exactly these bytes; false
   * for a malformed tag or another key.
   */
  public static boolean matches(String tag, SymmetricKey key, String purpose, byte[] data) {
    String keyId = keyIdOf(tag);
    if (keyId == null || !keyId.equals(key.keyId())) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(tag.substring(PREFIX.length() + keyId.length() + 1));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return given.length == TAG_BYTES && MessageDigest.isEqual(given, tag(key, purpose, data));
  }

  /** The id of the key a tag names, or null if it is not a tag. */
  public static String keyIdOf(String tag) {
    if (tag == null || !tag.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = tag.substring(PREFIX.length()).split(":", -1);
    return parts.length == 2 && SymmetricKey.isKeyId(parts[0]) ? parts[0] : null;
  }

  private static byte[] tag(SymmetricKey key, String purpose, byte[] data) {
    byte[] raw = key.copyOfBytes();
    byte[] derived = null;
    try {
      // The purpose key: HMAC(master key, domain || purpose), then the tag under it.
      derived = hmac(raw, (DOMAIN + purpose).getBytes(StandardCharsets.UTF_8));
      return hmac(derived, data);
    } finally {
      Arrays.fill(raw, (byte) 0);
      if (derived != null) {
        Arrays.fill(derived, (byte) 0);
      }
    }
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is missing from this Java runtime", e);
    }
  }
}
