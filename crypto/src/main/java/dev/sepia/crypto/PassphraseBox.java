package dev.sepia.crypto;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Seals bytes with a passphrase a person types: the key is derived with Argon2id, the bytes are
 * encrypted with AES-256-GCM. Used where no machine or master key can be assumed — offline bundles
 * today, a wrapped master key in backups later.
 *
 * <p>The sealed form describes itself, so it can be opened years later with other defaults in
 * force. It is one text line, then binary:
 *
 * <pre>
 * sepia-passphrase-box/1 argon2id m=65536 t=3 p=1 salt=&lt;base64 of 16 bytes&gt;\n
 * &lt;12-byte nonce&gt;&lt;ciphertext&gt;&lt;16-byte GCM tag&gt;
 * </pre>
 *
 * The header line (including its newline) is the associated data, so changing a parameter or the
 * salt makes opening fail. {@code head -1} on a sealed file tells an operator what it is. The
 * passphrase is normalised to Unicode NFC and encoded as UTF-8 before derivation, so the same
 * passphrase typed on systems that compose accents differently opens the box.
 *
 * <p>Every failure to open — wrong passphrase, any changed or missing byte, a header that is not
 * understood or asks for absurd resources — throws {@link DecryptionFailedException} with the one
 * message {@value #FAILURE}.
 */
public final class PassphraseBox {

  /** The message of every failure to open. */
  public static final String FAILURE = "wrong passphrase or damaged data";

  // 64 MiB, 3 passes, 1 lane: RFC 9106's second recommended choice for memory-constrained use.
  // A box is opened rarely and by a person, so about half a second per guess is affordable for
  // us and expensive for someone guessing offline; 64 MiB still fits a small deployment machine.
  static final int DEFAULT_MEMORY_KIB = 65536;
  static final int DEFAULT_ITERATIONS = 3;
  static final int DEFAULT_PARALLELISM = 1;

  // What a header may ask for before we spend memory or time on it: a damaged or hostile file must
  // not be able to make us allocate more than 4 GiB or spin for minutes.
  static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
  static final int MAX_ITERATIONS = 64;
  static final int MAX_PARALLELISM = 16;

  private static final String FORMAT = "sepia-passphrase-box/1";
  private static final int SALT_BYTES = 16;
  private static final int KEY_BYTES = 32;
  private static final int MAX_HEADER_BYTES = 256;
  private static final Pattern HEADER =
      Pattern.compile(
          Pattern.quote(FORMAT)
              + " argon2id m=([0-9]{1,10}) t=([0-9]{1,10}) p=([0-9]{1,10}) salt=([A-Za-z0-9+/=]+)\n");

  private static final PassphraseBox DEFAULT =
      new PassphraseBox(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);

  private final int memoryKib;
  private final int iterations;
  private final int parallelism;

  /**
   * A box that seals with these Argon2id parameters (tests use small ones). Opening always uses the
   * parameters written in the sealed header.
   *
   * @throws IllegalArgumentException if a parameter is outside what {@link #open} would accept
   */
  public PassphraseBox(int memoryKib, int iterations, int parallelism) {
    if (!acceptable(memoryKib, iterations, parallelism)) {
      throw new IllegalArgumentException(
          "Argon2id parameters out of range: memory must be 8 KiB per lane up to "
              + MAX_MEMORY_KIB
              + " KiB, iterations 1 to "
              + MAX_ITERATIONS
              + ", parallelism 1 to "
              + MAX_PARALLELISM
              + "; got m="
              + memoryKib
              + " t="
              + iterations
              + " p="
              + parallelism);
    }
    this.memoryKib = memoryKib;
    this.iterations = iterations;
    this.parallelism = parallelism;
  }

  /** Seals {@code plaintext} with the default parameters (64 MiB, 3 passes, 1 lane). */
  public static byte[] seal(char[] passphrase, byte[] plaintext) {
    return DEFAULT.sealWith(passphrase, plaintext);
  }

  /**
   * Opens what {@link #seal} or {@link #sealWith} produced, with whatever parameters its header
   * names.
   *
   * @throws DecryptionFailedException with the message {@value #FAILURE} if the passphrase is wrong
   *     or the data was changed, cut short or is not a passphrase box
   */
  public static byte[] open(char[] passphrase, byte[] sealed) throws DecryptionFailedException {
    Objects.requireNonNull(passphrase, "passphrase");
    Objects.requireNonNull(sealed, "sealed");
    int newline = indexOfNewline(sealed);
    if (newline < 0) {
      throw failure();
    }
    byte[] header = Arrays.copyOf(sealed, newline + 1);
    Matcher matcher = HEADER.matcher(new String(header, StandardCharsets.US_ASCII));
    if (!matcher.matches()) {
      throw failure();
    }
    long memory = Long.parseLong(matcher.group(1));
    long iterations = Long.parseLong(matcher.group(2));
    long parallelism = Long.parseLong(matcher.group(3));
    if (memory > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || parallelism > MAX_PARALLELISM) {
      throw failure();
    }
    if (!acceptable((int) memory, (int) iterations, (int) parallelism)) {
      throw failure();
    }
    byte[] salt;
    try {
      salt = Base64.getDecoder().decode(matcher.group(4));
    } catch (IllegalArgumentException e) {
      throw failure();
    }
    // Only the canonical spelling is accepted, so one box has exactly one valid header.
    if (salt.length != SALT_BYTES
        || !Arrays.equals(
            header, header((int) memory, (int) iterations, (int) parallelism, salt))) {
      throw failure();
    }
    byte[] body = Arrays.copyOfRange(sealed, header.length, sealed.length);
    byte[] key = derive(passphrase, salt, (int) memory, (int) iterations, (int) parallelism);
    try {
      return new AesGcm(key).decrypt(body, header);
    } catch (DecryptionFailedException e) {
      throw failure();
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** Seals {@code plaintext} with this box's parameters and a fresh random salt and nonce. */
  public byte[] sealWith(char[] passphrase, byte[] plaintext) {
    Objects.requireNonNull(passphrase, "passphrase");
    Objects.requireNonNull(plaintext, "plaintext");
    byte[] salt = Randomness.bytes(SALT_BYTES);
    byte[] header = header(memoryKib, iterations, parallelism, salt);
    byte[] key = derive(passphrase, salt, memoryKib, iterations, parallelism);
    byte[] body;
    try {
      body = new AesGcm(key).encrypt(plaintext, header);
    } catch (GeneralSecurityException e) {
      // AES-GCM is required of every Java platform; failing here means a broken runtime.
      throw new IllegalStateException("AES-256-GCM is not available in this Java runtime", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    byte[] sealed = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, sealed, header.length, body.length);
    return sealed;
  }

  private static boolean acceptable(int memoryKib, int iterations, int parallelism) {
    return parallelism >= 1
        && parallelism <= MAX_PARALLELISM
        && iterations >= 1
        && iterations <= MAX_ITERATIONS
        && memoryKib >= 8 * parallelism
        && memoryKib <= MAX_MEMORY_KIB;
  }

  private static byte[] header(int memoryKib, int iterations, int parallelism, byte[] salt) {
    String line =
        FORMAT
            + " argon2id m="
            + memoryKib
            + " t="
            + iterations
            + " p="
            + parallelism
            + " salt="
            + Base64.getEncoder().encodeToString(salt)
            + "\n";
    return line.getBytes(StandardCharsets.US_ASCII);
  }

  private static int indexOfNewline(byte[] sealed) {
    int limit = Math.min(sealed.length, MAX_HEADER_BYTES);
    for (int i = 0; i < limit; i++) {
      if (sealed[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static byte[] derive(
      char[] passphrase, byte[] salt, int memoryKib, int iterations, int parallelism) {
    // NFC goes through a String, which cannot be wiped; wiping is best effort anyway (see Secret).
    char[] normalised =
        Normalizer.normalize(CharBuffer.wrap(passphrase), Normalizer.Form.NFC).toCharArray();
    Argon2Parameters parameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] key = new byte[KEY_BYTES];
    try {
      generator.generateBytes(normalised, key);
    } finally {
      Arrays.fill(normalised, '\0');
    }
    return key;
  }

  private static DecryptionFailedException failure() {
    return new DecryptionFailedException(FAILURE);
  }

  @Override
  public String toString() {
    return "PassphraseBox{argon2id m=" + memoryKib + " t=" + iterations + " p=" + parallelism + "}";
  }
}
