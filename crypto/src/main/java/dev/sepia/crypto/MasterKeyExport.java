package dev.sepia.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WARNING: this class turns a master key into bytes that leave the process; the bytes are sealed
 * with a passphrase ({@link PassphraseBox}: Argon2id + AES-256-GCM), so they are only as strong as
 * that passphrase.
 *
 * <p>The file describes itself: one text line, then the passphrase box (which has its own header
 * line, then binary):
 *
 * <pre>
 * sepia-master-key-export/1 key=&lt;key id&gt;\n
 * sepia-passphrase-box/1 argon2id …\n
 * &lt;sealed 32 key bytes&gt;
 * </pre>
 *
 * {@code head -1} tells an operator which key a file holds. The first line is not authenticated by
 * the box, so opening compares the opened key's id with it and treats a mismatch as damage.
 */
public final class MasterKeyExport {
  static final String FORMAT = "sepia-master-key-export/1";
  private static final Pattern HEADER =
      Pattern.compile(Pattern.quote(FORMAT) + " key=([0-9a-f]{8})");
  private static final int MAX_HEADER_BYTES = 128;

  private MasterKeyExport() {}

  /** The file's bytes: {@code key} sealed with {@code passphrase} (default Argon2id cost). */
  public static byte[] seal(SymmetricKey key, char[] passphrase) {
    return sealWith(
        new PassphraseBox(
            PassphraseBox.DEFAULT_MEMORY_KIB,
            PassphraseBox.DEFAULT_ITERATIONS,
            PassphraseBox.DEFAULT_PARALLELISM),
        key,
        passphrase);
  }

  /** As {@link #seal}, with the given box's parameters (tests use cheap ones). */
  public static byte[] sealWith(PassphraseBox box, SymmetricKey key, char[] passphrase) {
    Objects.requireNonNull(key, "key");
    byte[] raw = key.copyOfBytes();
    byte[] sealed;
    try {
      sealed = box.sealWith(passphrase, raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    byte[] header = (FORMAT + " key=" + key.keyId() + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] file = Arrays.copyOf(header, header.length + sealed.length);
    System.arraycopy(sealed, 0, file, header.length, sealed.length);
    return file;
  }

  /**
   * The key id the file's first line names, without opening it.
   *
   * @throws IllegalArgumentException if the bytes are not a master key export
   */
  public static String keyIdOf(byte[] file) {
    return header(file).keyId();
  }

  /**
   * Opens an exported key.
   *
   * @throws IllegalArgumentException if the bytes are not a master key export at all
   * @throws DecryptionFailedException with {@link PassphraseBox#FAILURE} if the passphrase is wrong
   *     or the file was changed or cut short
   */
  public static SymmetricKey open(byte[] file, char[] passphrase) throws DecryptionFailedException {
    Header header = header(file);
    byte[] box = Arrays.copyOfRange(file, header.length(), file.length);
    byte[] raw = PassphraseBox.open(passphrase, box);
    SymmetricKey key;
    try {
      key = SymmetricKey.fromBytes(raw);
    } catch (IllegalArgumentException e) {
      throw new DecryptionFailedException(PassphraseBox.FAILURE);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    if (!key.keyId().equals(header.keyId())) {
      throw new DecryptionFailedException(PassphraseBox.FAILURE);
    }
    return key;
  }

  private record Header(String keyId, int length) {}

  private static Header header(byte[] file) {
    Objects.requireNonNull(file, "file");
    int limit = Math.min(file.length, MAX_HEADER_BYTES);
    for (int i = 0; i < limit; i++) {
      if (file[i] == '\n') {
        Matcher m = HEADER.matcher(new String(file, 0, i, StandardCharsets.US_ASCII));
        if (m.matches()) {
          return new Header(m.group(1), i + 1);
        }
        break;
      }
    }
    throw new IllegalArgumentException(
        "This is not a Sepia master key export (its first line should start with " + FORMAT + ").");
  }
}
