package dev.sepia.comms.testing;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reads a stream to its end, hashing and counting it. */
public record Hashing(long count, String sha256) {

  public static Hashing of(InputStream in) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[32 * 1024];
    long count = 0;
    for (int n; (n = in.read(buffer)) >= 0; ) {
      digest.update(buffer, 0, n);
      count += n;
    }
    return new Hashing(count, HexFormat.of().formatHex(digest.digest()));
  }
}
