package dev.sepia.server.web.ui;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Moments as pages show them: UTC to the second, and a dash for "not yet". */
public final class WhenText {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private WhenText() {}

  public static String of(Instant instant) {
    return instant == null ? "—" : FORMAT.format(instant);
  }

  /** The ISO form, for a {@code <time datetime>} attribute; null (omitted) when there is none. */
  public static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
