package dev.sepia.comms.rpc;

import java.time.Duration;
import java.util.Objects;

/**
 * Timings of the comms layer. The defaults suit production; tests shorten them so that a dead peer
 * or a reconnect is seen in seconds.
 *
 * @param pingInterval how often each side pings the other
 * @param deadAfter a connection with no traffic at all from the peer for this long is dead, and so
 *     is one whose send does not complete in this long
 * @param streamStallLimit how long a stream may make no progress (no data, or no room granted by
 *     the reader) before it fails
 * @param reconnectInitialDelay a polling Tentacle's first back-off after a failure
 * @param reconnectMaxDelay the cap of that back-off
 */
public record CommsSettings(
    Duration pingInterval,
    Duration deadAfter,
    Duration streamStallLimit,
    Duration reconnectInitialDelay,
    Duration reconnectMaxDelay) {

  public static final CommsSettings DEFAULTS =
      new CommsSettings(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          Duration.ofMillis(500),
          Duration.ofSeconds(30));

  public CommsSettings {
    requirePositive(pingInterval, "pingInterval");
    requirePositive(deadAfter, "deadAfter");
    requirePositive(streamStallLimit, "streamStallLimit");
    requirePositive(reconnectInitialDelay, "reconnectInitialDelay");
    requirePositive(reconnectMaxDelay, "reconnectMaxDelay");
    if (deadAfter.compareTo(pingInterval) <= 0) {
      throw new IllegalArgumentException(
          "deadAfter (" + deadAfter + ") must be longer than pingInterval (" + pingInterval + ")");
    }
    if (reconnectMaxDelay.compareTo(reconnectInitialDelay) < 0) {
      throw new IllegalArgumentException(
          "reconnectMaxDelay must not be below reconnectInitialDelay");
    }
  }

  /** These settings with other keep-alive timings. */
  public CommsSettings withKeepAlive(Duration pingInterval, Duration deadAfter) {
    return new CommsSettings(
        pingInterval, deadAfter, streamStallLimit, reconnectInitialDelay, reconnectMaxDelay);
  }

  /** These settings with another polling back-off. */
  public CommsSettings withReconnectDelays(Duration initial, Duration max) {
    return new CommsSettings(pingInterval, deadAfter, streamStallLimit, initial, max);
  }

  /** These settings with another stream stall limit. */
  public CommsSettings withStreamStallLimit(Duration limit) {
    return new CommsSettings(
        pingInterval, deadAfter, limit, reconnectInitialDelay, reconnectMaxDelay);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
