package dev.sepia.comms.contract;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Passes a stream through while hashing it, and fails at the end if its SHA-256 is not the one
 * expected: a reader that reaches EOF without an exception has the right data. Mark and reset are
 * not supported, and skipped bytes are read and hashed.
 */
public final class HashCheckingInputStream extends FilterInputStream {

  private final MessageDigest digest;
  private final String expected;
  private boolean checked;

  /**
   * @param expectedSha256 64 hex digits, any case
   */
  public HashCheckingInputStream(InputStream in, String expectedSha256) {
    super(in);
    this.expected = ContractChecks.sha256(expectedSha256);
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      atEnd();
    } else {
      digest.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n < 0) {
      atEnd();
    } else {
      digest.update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void mark(int readlimit) {}

  @Override
  public void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }

  private void atEnd() throws IOException {
    if (!checked) {
      checked = true;
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(expected)) {
        throw new IOException(
            "SHA-256 mismatch: expected " + expected + " but the data hashes to " + actual);
      }
    }
  }
}
