package dev.sepia.crypto;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes for user accounts: Argon2id in the PHC string format, e.g. {@code
 * $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}. Parameters are read back from the string, so
 * hashes made with other parameters (older or stronger) still verify. Memory 19 MiB, 2 passes, 1
 * lane: the OWASP minimum for Argon2id, which keeps a login well under a second.
 */
public final class PasswordHasher {

  private static final int MEMORY_KIB = 19456;
  private static final int ITERATIONS = 2;
  private static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  // Bounds for parameters read from a stored hash, so a damaged or hostile string cannot make
  // verification allocate gigabytes or spin for minutes.
  private static final int MAX_MEMORY_KIB = 1 << 20;
  private static final int MAX_ITERATIONS = 64;
  private static final int MAX_PARALLELISM = 16;
  private static final int MIN_SALT_BYTES = 8;
  private static final int MIN_HASH_BYTES = 16;
  private static final int MAX_HASH_BYTES = 64;

  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private PasswordHasher() {}

  /** A PHC-format Argon2id hash of {@code password} with a fresh random salt. */
  public static String hash(char[] password) {
    Objects.requireNonNull(password, "password");
    byte[] salt = Randomness.bytes(SALT_BYTES);
    byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m="
        + MEMORY_KIB
        + ",t="
        + ITERATIONS
        + ",p="
        + PARALLELISM
        + "$"
        + ENCODER.encodeToString(salt)
        + "$"
        + ENCODER.encodeToString(hash);
  }

  /**
   * Whether {@code password} matches the PHC string {@code phc}; false if {@code phc} is malformed.
   */
  public static boolean verify(char[] password, String phc) {
    Objects.requireNonNull(password, "password");
    Phc parsed = Phc.parse(phc);
    if (parsed == null) {
      return false;
    }
    byte[] actual =
        argon2(
            password,
            parsed.salt(),
            parsed.memoryKib(),
            parsed.iterations(),
            parsed.parallelism(),
            parsed.hash().length);
    return MessageDigest.isEqual(actual, parsed.hash());
  }

  private static byte[] argon2(
      char[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
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
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    return out;
  }

  /** The parts of a PHC string; null from {@link #parse} for anything that is not well-formed. */
  private record Phc(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

    static Phc parse(String phc) {
      if (phc == null) {
        return null;
      }
      // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
      String[] parts = phc.split("\\$", -1);
      if (parts.length != 6
          || !parts[0].isEmpty()
          || !parts[1].equals("argon2id")
          || !parts[2].equals("v=19")) {
        return null;
      }
      String[] params = parts[3].split(",", -1);
      if (params.length != 3) {
        return null;
      }
      int memory = parameter(params[0], "m=", 1, MAX_MEMORY_KIB);
      int iterations = parameter(params[1], "t=", 1, MAX_ITERATIONS);
      int parallelism = parameter(params[2], "p=", 1, MAX_PARALLELISM);
      if (memory < 0 || iterations < 0 || parallelism < 0 || memory < 8 * parallelism) {
        return null;
      }
      byte[] salt;
      byte[] hash;
      try {
        salt = DECODER.decode(parts[4]);
        hash = DECODER.decode(parts[5]);
      } catch (IllegalArgumentException e) {
        return null;
      }
      if (salt.length < MIN_SALT_BYTES
          || hash.length < MIN_HASH_BYTES
          || hash.length > MAX_HASH_BYTES) {
        return null;
      }
      return new Phc(memory, iterations, parallelism, salt, hash);
    }

    // -1 when the text is not "<name><decimal>" within [min, max].
    private static int parameter(String text, String name, int min, int max) {
      if (!text.startsWith(name)) {
        return -1;
      }
      String digits = text.substring(name.length());
      if (digits.isEmpty()
          || digits.length() > 9
          || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return -1;
      }
      int value = Integer.parseInt(digits);
      return value >= min && value <= max ? value : -1;
    }
  }
}
