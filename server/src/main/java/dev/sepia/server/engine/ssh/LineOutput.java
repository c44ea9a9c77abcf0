package dev.sepia.server.engine.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts one output stream of a remote command into UTF-8 lines ({@code \n} or {@code \r\n}) and
 * hands each complete line on; {@link #finish()} hands on a last line that had no line break.
 * Written to by one MINA thread per stream.
 */
final class LineOutput extends OutputStream {
  private final Consumer<String> lines;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  LineOutput(Consumer<String> lines) {
    this.lines = lines;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      emit();
    } else {
      pending.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    int start = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        pending.write(bytes, start, i - start);
        emit();
        start = i + 1;
      }
    }
    pending.write(bytes, start, end - start);
  }

  /** Hands on the unfinished last line, if any. */
  synchronized void finish() {
    if (pending.size() > 0) {
      emit();
    }
  }

  private void emit() {
    String line = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    lines.accept(line);
  }
}
