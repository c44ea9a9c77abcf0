package dev.sepia.tentacle.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one output stream of a script into its log, line by line. A line longer than {@value
 * #MAX_LINE_CHARS} characters is split, so a script that prints without newlines cannot grow the
 * heap. The stream is always read to its end (even if the log cannot be written), so the script
 * never blocks on a full pipe.
 */
final class OutputPump implements Runnable {
  static final int MAX_LINE_CHARS = 16 * 1024;
  private static final Logger log = LoggerFactory.getLogger(OutputPump.class);

  private final InputStream in;
  private final ScriptLog scriptLog;
  private final String source;
  private final String ticket;
  private boolean writeFailed;

  OutputPump(InputStream in, ScriptLog scriptLog, String source, String ticket) {
    this.in = in;
    this.scriptLog = scriptLog;
    this.source = source;
    this.ticket = ticket;
  }

  @Override
  public void run() {
    char[] buffer = new char[8192];
    StringBuilder line = new StringBuilder();
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      int n;
      while ((n = reader.read(buffer)) != -1) {
        for (int i = 0; i < n; i++) {
          char c = buffer[i];
          if (c == '\n') {
            emit(line);
          } else {
            // Split only when more text follows, so a line of exactly the limit stays one line.
            if (line.length() >= MAX_LINE_CHARS) {
              emit(line);
            }
            line.append(c);
          }
        }
      }
    } catch (IOException e) {
      // The stream was closed under us (the script ended and left a process holding it open).
    }
    if (!line.isEmpty()) {
      emit(line);
    }
  }

  private void emit(StringBuilder line) {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    String text = line.substring(0, end);
    line.setLength(0);
    try {
      scriptLog.append(source, text);
    } catch (IOException e) {
      if (!writeFailed) {
        writeFailed = true;
        log.warn(
            "Cannot write the {} of script {} to its log; further output is dropped: {}",
            source,
            ticket,
            e.getMessage());
      }
    }
  }
}
