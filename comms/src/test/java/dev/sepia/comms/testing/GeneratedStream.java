package dev.sepia.comms.testing;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code length} pseudo-random bytes made as they are read, never held: a large stream that costs
 * no memory. Hashes what it produced, so the sender's SHA-256 is known once it is read to the end.
 */
public final class GeneratedStream extends InputStream {

  private final long length;
  private final MessageDigest digest;
  private long produced;
  private long state;

  public GeneratedStream(long length, long seed) {
    this.length = length;
    this.state = seed | 1;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (produced >= length) {
      return -1;
    }
    int n = (int) Math.min(len, length - produced);
    for (int i = 0; i < n; i++) {
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      b[off + i] = (byte) state;
    }
    digest.update(b, off, n);
    produced += n;
    return n;
  }

  public long produced() {
    return produced;
  }

  /** SHA-256 of what was produced so far (the whole stream, once read to the end). */
  public String sha256() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }
}
