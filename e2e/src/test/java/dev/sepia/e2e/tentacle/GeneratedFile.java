package dev.sepia.e2e.tentacle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A file of pseudo-random bytes written in small pieces, hashed as it is written: a large test file
 * never has to fit in memory.
 *
 * @param sha256 lower-case hex, as the Tentacle reports it
 */
public record GeneratedFile(Path path, long length, String sha256) {
  private static final int CHUNK = 64 * 1024;

  /** Writes {@code length} bytes derived from {@code seed} to {@code path}. */
  public static GeneratedFile write(Path path, long length, long seed) {
    MessageDigest digest = sha256Digest();
    SplittableRandom random = new SplittableRandom(seed);
    byte[] chunk = new byte[CHUNK];
    try (OutputStream out = Files.newOutputStream(path)) {
      long left = length;
      while (left > 0) {
        int n = (int) Math.min(CHUNK, left);
        random.nextBytes(chunk);
        digest.update(chunk, 0, n);
        out.write(chunk, 0, n);
        left -= n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new GeneratedFile(path, length, HexFormat.of().formatHex(digest.digest()));
  }

  /** The SHA-256 of a file, read in small pieces; lower-case hex. */
  public static String sha256Of(Path file) {
    MessageDigest digest = sha256Digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
