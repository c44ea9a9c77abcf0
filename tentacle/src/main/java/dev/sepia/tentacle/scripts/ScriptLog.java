package dev.sepia.tentacle.scripts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.comms.contract.ScriptLogLine;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A script's output, kept on disk: one JSON object per line ({@code sequence}, {@code time}, {@code
 * source}, {@code text}), append-only, sequences 1, 2, 3… Memory stays small however much a script
 * prints: besides a write buffer, only the byte offset of every {@value #INDEX_EVERY}th line is
 * held, so a read seeks close to where it starts and scans at most that many extra lines.
 *
 * <p>Thread-safe: the stdout and stderr pumps append while status calls read. A reader only sees
 * lines that were complete when it started.
 */
final class ScriptLog implements Closeable {
  static final int INDEX_EVERY = 1000;

  /**
   * Most characters of text one read returns, whatever the line count: a thousand long lines would
   * otherwise make an answer too big to send (and to hold). Even escaped as JSON six times over,
   * this stays below the RPC layer's message limit.
   */
  static final int MAX_READ_CHARS = 2_000_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private OutputStream out;
  private long size;
  private long lastSequence;
  private long[] checkpoints = new long[16];
  private int checkpointCount;
  private boolean closed;

  private ScriptLog(Path file, long size, long lastSequence, long[] checkpoints, int count)
      throws IOException {
    this.file = file;
    this.size = size;
    this.lastSequence = lastSequence;
    this.checkpoints = checkpoints;
    this.checkpointCount = count;
    this.out =
        new BufferedOutputStream(
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            64 * 1024);
  }

  /** A new, empty log. */
  static ScriptLog create(Path file) throws IOException {
    Files.deleteIfExists(file);
    return new ScriptLog(file, 0, 0, new long[16], 0);
  }

  /**
   * Opens an existing log (after a restart): rebuilds the index with one pass, and cuts off a last
   * line that a crash left half-written.
   */
  static ScriptLog open(Path file) throws IOException {
    if (!Files.exists(file)) {
      return create(file);
    }
    long[] index = new long[16];
    int count = 0;
    long offset = 0;
    long sequence = 0;
    long complete = 0;
    try (var in = new java.io.BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      int b;
      long lineStart = 0;
      while ((b = in.read()) != -1) {
        offset++;
        if (b == '\n') {
          sequence++;
          if ((sequence - 1) % INDEX_EVERY == 0) {
            if (count == index.length) {
              index = Arrays.copyOf(index, count * 2);
            }
            index[count++] = lineStart;
          }
          lineStart = offset;
          complete = offset;
        }
      }
    }
    if (complete < offset) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(complete);
      }
    }
    return new ScriptLog(file, complete, sequence, index, count);
  }

  /**
   * Appends one line and returns its sequence, or -1 if the log is closed (output that arrives
   * after the script's end was recorded is dropped, so the end line stays last).
   */
  synchronized long append(String source, String text) throws IOException {
    if (closed) {
      return -1;
    }
    long sequence = lastSequence + 1;
    byte[] line =
        (JSON.writeValueAsString(new Entry(sequence, Instant.now().toString(), source, text))
                + "\n")
            .getBytes(StandardCharsets.UTF_8);
    if ((sequence - 1) % INDEX_EVERY == 0) {
      if (checkpointCount == checkpoints.length) {
        checkpoints = Arrays.copyOf(checkpoints, checkpointCount * 2);
      }
      checkpoints[checkpointCount++] = size;
    }
    out.write(line);
    size += line.length;
    lastSequence = sequence;
    return sequence;
  }

  synchronized long lastSequence() {
    return lastSequence;
  }

  /**
   * Up to {@code max} lines with a sequence greater than {@code after}, oldest first, and no more
   * than {@value #MAX_READ_CHARS} characters of text (but always at least one line).
   */
  List<ScriptLogLine> read(long after, int max) throws IOException {
    long last;
    long offset;
    long firstSequenceAtOffset;
    long start = Math.max(after, 0) + 1;
    synchronized (this) {
      if (!closed) {
        out.flush();
      }
      last = lastSequence;
      if (start > last || max <= 0) {
        return List.of();
      }
      int checkpoint = (int) ((start - 1) / INDEX_EVERY);
      offset = checkpoints[checkpoint];
      firstSequenceAtOffset = (long) checkpoint * INDEX_EVERY + 1;
    }
    // Everything up to `last` is flushed and never changes again: read it without the lock.
    List<ScriptLogLine> lines =
        new ArrayList<>(Math.min(max, (int) Math.min(last - start + 1, max)));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.position(offset);
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
      long sequence = firstSequenceAtOffset;
      long chars = 0;
      String text;
      while (sequence <= last && lines.size() < max && (text = reader.readLine()) != null) {
        if (sequence >= start) {
          Entry entry = parse(text);
          chars += entry.text() == null ? 0 : entry.text().length();
          if (chars > MAX_READ_CHARS && !lines.isEmpty()) {
            break;
          }
          lines.add(
              new ScriptLogLine(
                  entry.sequence(), Instant.parse(entry.time()), entry.source(), entry.text()));
        }
        sequence++;
      }
    }
    return lines;
  }

  /** Writes what is buffered; later appends are dropped. */
  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }

  private Entry parse(String line) throws IOException {
    try {
      return JSON.readValue(line, Entry.class);
    } catch (JsonProcessingException e) {
      throw new IOException("The script log " + file + " is damaged: " + e.getOriginalMessage());
    }
  }

  /** One line as stored. */
  record Entry(long sequence, String time, String source, String text) {}
}
