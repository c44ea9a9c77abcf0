package dev.sepia.platform.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the end of a log that may have grown large, without reading all of it. */
final class LogTail {

  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  /**
   * The last {@code count} lines of {@code log} that come after the last line starting with {@code
   * marker} (so an error shows this run's output, not the previous run's). Empty if the file cannot
   * be read.
   */
  static List<String> lastLines(Path log, int count, String marker) {
    List<String> lines;
    try (SeekableByteChannel channel = Files.newByteChannel(log)) {
      long size = channel.size();
      long start = Math.max(0, size - MAX_BYTES);
      channel.position(start);
      ByteBuffer buffer = ByteBuffer.allocate((int) (size - start));
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // keep reading until full or end of file
      }
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
      if (start > 0 && !lines.isEmpty()) {
        lines.remove(0); // a partial line (or a split character) where we started reading
      }
    } catch (IOException e) {
      return List.of();
    }
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(marker)) {
        lines = lines.subList(i + 1, lines.size());
        break;
      }
    }
    return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }
}
