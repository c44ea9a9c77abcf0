package dev.sepia.comms.rpc;

import java.nio.charset.StandardCharsets;

/** A WebSocket Close frame carries at most 123 bytes of reason. */
final class CloseReasons {

  private static final int MAX_BYTES = 123;

  private CloseReasons() {}

  static String truncate(String reason) {
    String r = reason == null ? "" : reason;
    while (r.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }
}
