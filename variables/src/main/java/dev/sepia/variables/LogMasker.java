package dev.sepia.variables;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Hides secrets in output lines, replacing each occurrence with {@link #MASK}. Immutable and
 * thread-safe.
 *
 * <p>Every occurrence of every secret is found first and the covered characters are then replaced
 * run by run, so overlapping or adjacent secrets are hidden completely (one mask per run). A
 * multi-line secret is split into its lines, since output is masked line by line; blank secrets and
 * blank lines of a secret are ignored (masking every space would hide nothing and ruin the log). A
 * secret made only of the mask's own {@code *} characters may still be seen in a mask.
 */
public final class LogMasker {

  /** What a secret is replaced with. */
  public static final String MASK = "********";

  /** Longest first, which keeps the scan order predictable; the result does not depend on it. */
  private final List<String> secrets;

  public LogMasker(Collection<String> secrets) {
    Set<String> lines = new LinkedHashSet<>();
    for (String secret : secrets) {
      if (secret == null) {
        continue;
      }
      for (String line : secret.split("\r\n|\r|\n")) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    List<String> sorted = new ArrayList<>(lines);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(sorted);
  }

  /** A masker that also hides {@code more}. */
  public LogMasker with(Collection<String> more) {
    List<String> all = new ArrayList<>(secrets);
    all.addAll(more);
    return new LogMasker(all);
  }

  /** The line with every secret replaced by {@link #MASK}. */
  public String mask(String line) {
    if (line == null || line.isEmpty() || secrets.isEmpty()) {
      return line;
    }
    boolean[] covered = null;
    for (String secret : secrets) {
      int from = line.indexOf(secret);
      while (from >= 0) {
        if (covered == null) {
          covered = new boolean[line.length()];
        }
        for (int i = from; i < from + secret.length(); i++) {
          covered[i] = true;
        }
        from = line.indexOf(secret, from + 1);
      }
    }
    if (covered == null) {
      return line;
    }
    StringBuilder out = new StringBuilder(line.length());
    int i = 0;
    while (i < line.length()) {
      if (covered[i]) {
        out.append(MASK);
        while (i < line.length() && covered[i]) {
          i++;
        }
      } else {
        out.append(line.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "LogMasker[" + secrets.size() + " secrets]";
  }
}
