package dev.sepia.comms.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends a stream as chunks, never more than the reader has granted room for (see {@link
 * IncomingBody}), each chunk sent and waited for before the next is read from the source: the
 * sender holds one chunk in memory whatever the stream's size.
 */
final class OutgoingBody {

  private final Semaphore credits = new Semaphore(StreamFrames.WINDOW);
  private volatile boolean stopped;

  /** The reader consumed {@code chunks} more. */
  void grant(int chunks) {
    credits.release(chunks);
  }

  /** The reader no longer wants the rest (answered early, cancelled, or the connection closed). */
  void stop() {
    stopped = true;
    credits.release(StreamFrames.WINDOW); // wakes a pump waiting for credit
  }

  /**
   * Sends {@code source} to its end, or until stopped.
   *
   * @param what names the stream in messages
   */
  void pump(UUID id, InputStream source, FrameSender sender, Duration stallLimit, String what)
      throws RpcException {
    byte[] chunk = new byte[StreamFrames.MAX_CHUNK];
    ByteBuffer frame = StreamFrames.newFrameBuffer();
    while (!stopped) {
      int n = readSource(id, source, chunk, sender, what);
      if (n < 0) {
        sender.sendBinary(StreamFrames.frame(frame, id, chunk, 0));
        return;
      }
      if (n == 0) {
        continue;
      }
      awaitCredit(stallLimit, what);
      if (stopped) {
        return;
      }
      sender.sendBinary(StreamFrames.frame(frame, id, chunk, n));
    }
  }

  private int readSource(UUID id, InputStream source, byte[] chunk, FrameSender sender, String what)
      throws RpcException {
    try {
      return source.read(chunk);
    } catch (IOException e) {
      if (!stopped) {
        sender.sendText(Messages.streamError(id, "The sender could not read " + what));
      }
      throw new RpcException("Reading " + what + " failed: " + e.getMessage(), e);
    }
  }

  private void awaitCredit(Duration stallLimit, String what) throws RpcException {
    try {
      if (!credits.tryAcquire(stallLimit.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new RpcTimeoutException(
            "The receiver of "
                + what
                + " took no data for "
                + Durations.format(stallLimit)
                + "; the transfer was abandoned.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RpcException("Interrupted while sending " + what);
    }
  }
}
