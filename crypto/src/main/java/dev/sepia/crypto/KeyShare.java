package dev.sepia.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One share of a master key split by {@link MasterKeyShares}: alone it reveals nothing about the
 * key, but {@link #threshold()} shares of one split give the key back. {@code toString()} is
 * redacted; the copyable line is {@link #toLine()}.
 *
 * <p>The line describes itself and detects typos:
 *
 * <pre>
 * sepia-share:v1:&lt;key id&gt;:&lt;K&gt;-of-&lt;N&gt;:&lt;index&gt;:&lt;base64url share bytes&gt;:&lt;checksum&gt;
 * </pre>
 *
 * The checksum is the first 4 bytes of SHA-256 over everything before it, in hex, so a changed,
 * added or missing character anywhere is caught before any arithmetic and the share is named.
 */
public final class KeyShare {
  static final String PREFIX = "sepia-share:";
  private static final String VERSION = "v1";
  private static final byte[] CHECKSUM_DOMAIN =
      "sepia-share-checksum-v1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int CHECKSUM_HEX = 8;

  private final String keyId;
  private final int threshold;
  private final int total;
  private final int index;
  private final byte[] value;

  KeyShare(String keyId, int threshold, int total, int index, byte[] value) {
    this.keyId = keyId;
    this.threshold = threshold;
    this.total = total;
    this.index = index;
    this.value = value.clone();
  }

  /** The id of the key this share is part of. Not secret. */
  public String keyId() {
    return keyId;
  }

  /** K: how many shares of this split give the key back. */
  public int threshold() {
    return threshold;
  }

  /** N: how many shares the split made. */
  public int total() {
    return total;
  }

  /** This share's number, 1 to N. */
  public int index() {
    return index;
  }

  /** "3-of-5", as the line writes it. */
  public String split() {
    return threshold + "-of-" + total;
  }

  byte[] value() {
    return value.clone();
  }

  /**
   * The line to hand to the share's holder. WARNING: this is secret material; together with K−1
   * other shares it is the master key. Print it for a person; never log or store it.
   */
  public String toLine() {
    String body =
        PREFIX
            + VERSION
            + ":"
            + keyId
            + ":"
            + split()
            + ":"
            + index
            + ":"
            + Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    return body + ":" + checksum(body);
  }

  /**
   * Reads a line made by {@link #toLine()}; surrounding whitespace is ignored. Messages never
   * repeat the input.
   *
   * @throws IllegalArgumentException saying what is wrong ("The share is mistyped: …")
   */
  public static KeyShare parse(String line) {
    return parse(line, "The share");
  }

  /** As {@link #parse(String)}, naming the share in messages as {@code subject} ("Share 2"). */
  static KeyShare parse(String line, String subject) {
    Objects.requireNonNull(line, "line");
    String text = line.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException(subject + " is empty.");
    }
    if (!text.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          subject
              + " is not a Sepia master key share (a share is one line that starts with "
              + PREFIX
              + VERSION
              + ":).");
    }
    String version = text.substring(PREFIX.length()).split(":", 2)[0];
    if (!version.equals(VERSION) && version.matches("v[0-9]{1,4}")) {
      throw new IllegalArgumentException(
          subject
              + " is of a newer format ("
              + version
              + ") than this version of Sepia reads. Use the Sepia version that printed it.");
    }
    int lastColon = text.lastIndexOf(':');
    String body = text.substring(0, Math.max(lastColon, 0));
    String given = text.substring(lastColon + 1);
    if (lastColon < PREFIX.length()
        || !MessageDigest.isEqual(
            checksum(body).getBytes(StandardCharsets.US_ASCII),
            given.getBytes(StandardCharsets.US_ASCII))) {
      throw new IllegalArgumentException(
          subject
              + " is mistyped: its checksum does not match (a character was changed, added or"
              + " left out). Copy the whole line again.");
    }
    String[] parts = body.substring(PREFIX.length()).split(":", -1);
    // v1, key id, K-of-N, index, value
    if (parts.length != 5 || !SymmetricKey.isKeyId(parts[1])) {
      throw malformed(subject);
    }
    String[] split = parts[2].split("-of-", -1);
    if (split.length != 2) {
      throw malformed(subject);
    }
    int threshold = number(split[0], subject);
    int total = number(split[1], subject);
    int index = number(parts[3], subject);
    if (threshold < MasterKeyShares.MIN_THRESHOLD
        || total < threshold
        || total > MasterKeyShares.MAX_SHARES
        || index < 1
        || index > total) {
      throw malformed(subject);
    }
    byte[] value;
    try {
      value = Base64.getUrlDecoder().decode(parts[4]);
    } catch (IllegalArgumentException e) {
      throw malformed(subject);
    }
    if (value.length != SymmetricKey.LENGTH_BYTES) {
      Arrays.fill(value, (byte) 0);
      throw malformed(subject);
    }
    try {
      return new KeyShare(parts[1], threshold, total, index, value);
    } finally {
      Arrays.fill(value, (byte) 0);
    }
  }

  private static int number(String text, String subject) {
    if (!text.matches("[0-9]{1,3}")) {
      throw malformed(subject);
    }
    return Integer.parseInt(text);
  }

  private static IllegalArgumentException malformed(String subject) {
    return new IllegalArgumentException(
        subject
            + " is not a well-formed Sepia master key share, although its checksum matches."
            + " Use the line exactly as show-master-key --shares printed it.");
  }

  private static String checksum(String body) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(CHECKSUM_DOMAIN);
      byte[] digest = sha256.digest(body.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, CHECKSUM_HEX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "KeyShare{key=" + keyId + ", " + split() + ", #" + index + ", <masked>}";
  }
}
