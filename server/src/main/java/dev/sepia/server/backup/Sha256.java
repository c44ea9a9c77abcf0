package dev.sepia.server.backup;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of what passes through, for the manifest's checksums (lower-case hex). */
final class Sha256 {
  private Sha256() {}

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }

  static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Counts and hashes the bytes written to it and passes them on; closing it leaves the target open
   * (the target is a zip entry, closed by the archive).
   */
  static final class Counting extends FilterOutputStream {
    private final MessageDigest digest = digest();
    private long size;

    Counting(OutputStream target) {
      super(target);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      size++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      size += len;
    }

    @Override
    public void close() throws IOException {
      flush();
    }

    long size() {
      return size;
    }

    String sha256() {
      return hex(digest);
    }
  }
}
