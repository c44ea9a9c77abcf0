package dev.sepia.comms.rpc;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Binary frames carry stream data: {@code [16-byte request id][chunk]}, the chunk at most {@link
 * #MAX_CHUNK} bytes; an empty chunk ends the stream.
 */
final class StreamFrames {

  static final int HEADER = 16;
  static final int MAX_CHUNK = 64 * 1024;
  static final int MAX_FRAME = HEADER + MAX_CHUNK;

  /**
   * Chunks a reader may hold unread per stream, and so chunks a sender may send ahead of credit: 16
   * × 64 KiB = 1 MiB per stream, whatever the stream's size.
   */
  static final int WINDOW = 16;

  private StreamFrames() {}

  /** A buffer to reuse for every frame of one stream: sends complete before the next is built. */
  static ByteBuffer newFrameBuffer() {
    return ByteBuffer.allocate(MAX_FRAME);
  }

  /** Fills {@code frame} with the id and {@code length} bytes of {@code chunk}, ready to send. */
  static ByteBuffer frame(ByteBuffer frame, UUID id, byte[] chunk, int length) {
    frame.clear();
    frame.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    frame.put(chunk, 0, length);
    return frame.flip();
  }

  static UUID id(ByteBuffer frame) throws Messages.ProtocolViolation {
    if (frame.remaining() < HEADER) {
      throw new Messages.ProtocolViolation("a binary frame is shorter than its header");
    }
    if (frame.remaining() > MAX_FRAME) {
      throw new Messages.ProtocolViolation("a binary frame carries more than 64 KiB");
    }
    return new UUID(frame.getLong(), frame.getLong());
  }
}
