package dev.sepia.server.engine.backups;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How many scheduled backups to keep: the newest {@code N} ("14"), or those younger than {@code N}
 * days ("30d"). The newest backup is always kept, whatever the rule, so retention can never leave
 * the folder without one.
 */
public record BackupRetention(int count, Duration maxAge) {
  public static final String DEFAULT = "14";

  /** A backup file on disk, as retention sees it. */
  public record Kept(String name, Instant createdAt) {}

  /**
   * Parses "N" or "Nd".
   *
   * @throws IllegalArgumentException naming both forms
   */
  public static BackupRetention parse(String text) {
    String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    boolean days = trimmed.endsWith("d");
    String digits = days ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    int n;
    try {
      n = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1 || n > 100_000) {
      throw new IllegalArgumentException(
          "\""
              + (text == null ? "" : text.trim())
              + "\" is not a retention rule. Give the number of scheduled backups to keep (e.g."
              + " 14) or a number of days followed by d (e.g. 30d).");
    }
    return days ? new BackupRetention(0, Duration.ofDays(n)) : new BackupRetention(n, null);
  }

  /** The rule as it is written in settings and shown. */
  public String text() {
    return maxAge == null ? Integer.toString(count) : maxAge.toDays() + "d";
  }

  /** The rule in words. */
  public String describe() {
    return maxAge == null
        ? "keep the newest " + count + " scheduled backup(s)"
        : "keep scheduled backups made in the last " + maxAge.toDays() + " day(s)";
  }

  /** Which of {@code backups} this rule deletes at {@code now}; never the newest. */
  public List<Kept> toDelete(List<Kept> backups, Instant now) {
    List<Kept> newestFirst = new ArrayList<>(backups);
    newestFirst.sort(Comparator.comparing(Kept::createdAt).reversed());
    List<Kept> delete = new ArrayList<>();
    for (int i = 1; i < newestFirst.size(); i++) {
      Kept backup = newestFirst.get(i);
      boolean tooMany = maxAge == null && i >= count;
      boolean tooOld = maxAge != null && backup.createdAt().isBefore(now.minus(maxAge));
      if (tooMany || tooOld) {
        delete.add(backup);
      }
    }
    return delete;
  }
}
