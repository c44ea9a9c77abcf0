package dev.sepia.server.store.catalogue;

import java.io.PrintWriter;

/**
 * Tells the operator how far a catalogue walk has come: a line at the start, then one every 100,000
 * values or five seconds, whichever comes first, and one at the end.
 */
public final class WalkProgress {
  private static final long EVERY_VALUES = 100_000;
  private static final long EVERY_NANOS = 5_000_000_000L;

  private final PrintWriter out;
  private final long total;
  private final String changedVerb;
  private long checked;
  private long changed;
  private long printedAt;
  private long printedNanos = System.nanoTime();

  /**
   * @param startLine the first line, e.g. "Checking 12 stored sensitive value(s)…"
   * @param changedVerb what the walk does to a value, e.g. "cleared"
   */
  public WalkProgress(PrintWriter out, long total, String startLine, String changedVerb) {
    this.out = out;
    this.total = total;
    this.changedVerb = changedVerb;
    out.println(startLine);
    out.flush();
  }

  void add(long moreChecked, long moreChanged) {
    checked += moreChecked;
    changed += moreChanged;
    long now = System.nanoTime();
    if (checked - printedAt >= EVERY_VALUES || now - printedNanos >= EVERY_NANOS) {
      print();
      printedAt = checked;
      printedNanos = now;
    }
  }

  public void finish() {
    print();
  }

  private void print() {
    out.println(
        "Checked "
            + checked
            + " of "
            + total
            + " values; "
            + changedVerb
            + " "
            + changed
            + " so far…");
    out.flush();
  }
}
