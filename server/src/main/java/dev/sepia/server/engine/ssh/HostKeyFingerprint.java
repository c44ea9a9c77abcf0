package dev.sepia.server.engine.ssh;

import java.security.PublicKey;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * A pinned SSH host key fingerprint, in either form OpenSSH prints: {@code SHA256:<base64>}
 * (compared exactly, since base64 is case-sensitive; the prefix and trailing {@code =} may be left
 * out) or {@code MD5:aa:bb:…} (hex, any case, the prefix may be left out).
 */
public final class HostKeyFingerprint {
  private static final Pattern SHA256_BASE64 = Pattern.compile("[A-Za-z0-9+/]{43}");
  private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){15}");

  private final boolean md5;
  private final String normalized;

  private HostKeyFingerprint(boolean md5, String normalized) {
    this.md5 = md5;
    this.normalized = normalized;
  }

  /**
   * Reads a fingerprint as an operator typed or pasted it.
   *
   * @throws IllegalArgumentException with a message that shows the expected form
   */
  public static HostKeyFingerprint parse(String text) {
    String value = text == null ? "" : text.strip();
    String upper = value.toUpperCase(Locale.ROOT);
    if (upper.startsWith("MD5:")) {
      return md5(value.substring(4), text);
    }
    if (upper.startsWith("SHA256:")) {
      return sha256(value.substring(7), text);
    }
    if (MD5_HEX.matcher(value.toLowerCase(Locale.ROOT)).matches()) {
      return md5(value, text);
    }
    return sha256(value, text);
  }

  private static HostKeyFingerprint sha256(String base64, String original) {
    String trimmed = base64;
    while (trimmed.endsWith("=")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (!SHA256_BASE64.matcher(trimmed).matches()) {
      throw new IllegalArgumentException(invalid(original));
    }
    return new HostKeyFingerprint(false, "SHA256:" + trimmed);
  }

  private static HostKeyFingerprint md5(String hex, String original) {
    String lower = hex.toLowerCase(Locale.ROOT);
    if (!MD5_HEX.matcher(lower).matches()) {
      throw new IllegalArgumentException(invalid(original));
    }
    return new HostKeyFingerprint(true, "MD5:" + lower);
  }

  private static String invalid(String original) {
    return "'"
        + original
        + "' is not an SSH host key fingerprint. Use the form OpenSSH prints, e.g."
        + " SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s (from: ssh-keyscan HOST |"
        + " ssh-keygen -lf -).";
  }

  /** The fingerprint of {@code key}, as OpenSSH prints it: {@code SHA256:<base64, no padding>}. */
  public static String sha256Of(PublicKey key) {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
  }

  /** Whether {@code key} is the pinned key. */
  public boolean matches(PublicKey key) {
    String actual =
        md5
            ? KeyUtils.getFingerPrint(BuiltinDigests.md5, key).toLowerCase(Locale.ROOT)
            : sha256Of(key);
    // "md5:" after lower-casing; the normalized MD5 form is lower-case throughout.
    String expected = md5 ? normalized.toLowerCase(Locale.ROOT) : normalized;
    return actual.equals(expected);
  }

  /** The fingerprint in the form the key is compared in, for messages. */
  @Override
  public String toString() {
    return normalized;
  }
}
