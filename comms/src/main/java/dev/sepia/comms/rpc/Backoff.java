package dev.sepia.comms.rpc;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter: each delay doubles up to the cap, and is drawn between half and
 * all of it, so a thousand Tentacles refused at once (a server restart, a certificate change) do
 * not come back in lockstep. Not thread-safe: one per reconnecting loop.
 */
final class Backoff {

  private final long initialNanos;
  private final long maxNanos;
  private final RandomGenerator random;
  private long baseNanos;

  Backoff(Duration initial, Duration max, RandomGenerator random) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
    this.baseNanos = initialNanos;
  }

  Duration next() {
    long base = baseNanos;
    baseNanos = Math.min(maxNanos, base * 2);
    long half = base / 2;
    return Duration.ofNanos(half + random.nextLong(base - half + 1));
  }

  /** After a connection that lasted: the next failure is treated as the first. */
  void reset() {
    baseNanos = initialNanos;
  }
}
