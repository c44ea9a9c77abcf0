package dev.sepia.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Stands in for {@code System.out} while a command runs: passes each line on, prefixed with the
 * seconds since {@link #install}, and keeps the lines with their times, so that the phases of a
 * command can be timed from what it prints (the command itself is not changed for the benchmark).
 */
final class StampedLines extends OutputStream {
  private static final int KEPT = 10_000;

  private final PrintStream target;
  private final long start = System.nanoTime();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final List<Line> lines = new ArrayList<>();

  /** One printed line and when it was printed, in nanoseconds since {@link #install}. */
  record Line(long nanos, String text) {}

  private StampedLines(PrintStream target) {
    this.target = target;
  }

  /** Replaces {@code System.out} until {@link #restore}. */
  static StampedLines install() {
    StampedLines stamped = new StampedLines(System.out);
    System.setOut(new PrintStream(stamped, true, StandardCharsets.UTF_8));
    return stamped;
  }

  void restore() {
    System.out.flush();
    System.setOut(target);
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      long nanos = System.nanoTime() - start;
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (lines.size() < KEPT) {
        lines.add(new Line(nanos, text));
      }
      target.printf(Locale.ROOT, "  [%7.1f s] %s%n", nanos / 1e9, text);
    } else {
      line.write(b);
    }
  }

  /** The first line that starts with {@code prefix}. */
  synchronized Optional<Line> first(String prefix) {
    return lines.stream().filter(l -> l.text().startsWith(prefix)).findFirst();
  }

  /** The last line that starts with {@code prefix}. */
  synchronized Optional<Line> last(String prefix) {
    return lines.reversed().stream().filter(l -> l.text().startsWith(prefix)).findFirst();
  }
}
