package dev.sepia.comms.rpc;

import java.time.Duration;

/** Durations as operators read them in messages: {@code 30s}, {@code 500ms}, {@code 2m30s}. */
final class Durations {

  private Durations() {}

  static String format(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    long seconds = d.toSeconds();
    if (seconds < 60) {
      long tenths = d.toMillis() % 1000 / 100;
      return tenths == 0 ? seconds + "s" : seconds + "." + tenths + "s";
    }
    long minutes = seconds / 60;
    long rest = seconds % 60;
    return rest == 0 ? minutes + "m" : minutes + "m" + rest + "s";
  }
}
