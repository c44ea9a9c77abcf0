package dev.sepia.comms.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream arriving in chunks, read as an InputStream. It holds at most {@link StreamFrames#WINDOW}
 * chunks: the sender may only send what the reader has granted room for, and room is granted back
 * as chunks are read. So the connection's receiving side never blocks on a slow reader (pings and
 * other calls keep flowing) and memory stays bounded.
 *
 * <p>One thread reads; {@link #close()} may come from any thread.
 */
final class IncomingBody extends InputStream {

  /** Grants the sender room for more chunks. */
  @FunctionalInterface
  interface CreditSink {
    void grant(int chunks) throws IOException;
  }

  private static final Logger log = LoggerFactory.getLogger(IncomingBody.class);
  private static final byte[] END = new byte[0];
  private static final byte[] FAILED = new byte[0];
  private static final byte[] CLOSED = new byte[0];

  private final String what;
  private final Duration stallLimit;
  private final CreditSink credits;
  private final Runnable onAbandon;
  private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger heldChunks = new AtomicInteger();
  private final AtomicLong heldBytes = new AtomicLong();
  private final AtomicLong highWaterBytes = new AtomicLong();
  private volatile String failure;
  private volatile boolean closed;

  // Reader's state.
  private byte[] current;
  private int position;
  private boolean ended;
  private int readSinceGrant;

  /**
   * @param what names the stream in messages, e.g. "the body of 'files.download'"
   * @param onAbandon run when the reader closes before the end, to stop the sender
   */
  IncomingBody(String what, Duration stallLimit, CreditSink credits, Runnable onAbandon) {
    this.what = what;
    this.stallLimit = stallLimit;
    this.credits = credits;
    this.onAbandon = onAbandon;
  }

  /** Adds a chunk; false if the sender overran the window (a protocol violation). */
  boolean offer(ByteBuffer data) {
    if (closed) {
      return true;
    }
    if (heldChunks.incrementAndGet() > StreamFrames.WINDOW) {
      return false;
    }
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    highWaterBytes.accumulateAndGet(heldBytes.addAndGet(chunk.length), Math::max);
    queue.add(chunk);
    return true;
  }

  void end() {
    queue.add(END);
  }

  void fail(String reason) {
    failure = reason;
    queue.add(FAILED);
  }

  /** Most bytes held unread at any moment: what this stream cost in memory. */
  long highWaterBytes() {
    return highWaterBytes.get();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!nextChunk()) {
      return -1;
    }
    int n = Math.min(len, current.length - position);
    System.arraycopy(current, position, b, off, n);
    position += n;
    if (position == current.length) {
      chunkRead();
    }
    return n;
  }

  @Override
  public int available() {
    return current == null ? 0 : current.length - position;
  }

  /** Closing before the end abandons the stream: the sender is told to stop. */
  @Override
  public void close() {
    if (discard() && !ended) {
      onAbandon.run();
    }
  }

  /** Frees what is held and drops whatever still arrives, without telling the sender. */
  boolean discard() {
    if (closed) {
      return false;
    }
    closed = true;
    queue.clear();
    queue.add(CLOSED);
    return true;
  }

  private boolean nextChunk() throws IOException {
    while (current == null) {
      if (ended) {
        return false;
      }
      byte[] next = take();
      if (next == END) {
        ended = true;
        return false;
      }
      if (next == FAILED || next == CLOSED) {
        queue.add(next); // every later read fails the same way
        throw new IOException(next == CLOSED ? "The stream is closed" : failure);
      }
      current = next;
      position = 0;
    }
    return true;
  }

  private byte[] take() throws IOException {
    try {
      byte[] next = queue.poll(stallLimit.toNanos(), TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new IOException(
            "No data arrived for " + what + " within " + Durations.format(stallLimit));
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while reading " + what);
    }
  }

  private void chunkRead() {
    heldChunks.decrementAndGet();
    heldBytes.addAndGet(-current.length);
    current = null;
    if (++readSinceGrant >= StreamFrames.WINDOW / 2) {
      int granted = readSinceGrant;
      readSinceGrant = 0;
      try {
        credits.grant(granted);
      } catch (IOException e) {
        // The connection is gone; the stream is failed by its closing, so the next read says so.
        log.debug("Could not grant credit for {}: {}", what, e.getMessage());
      }
    }
  }
}
