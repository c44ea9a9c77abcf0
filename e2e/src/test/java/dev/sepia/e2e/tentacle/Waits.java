package dev.sepia.e2e.tentacle;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waiting: every wait in these tests has a deadline and says what it waited for. */
public final class Waits {
  private static final Duration POLL = Duration.ofMillis(100);

  private Waits() {}

  /** Polls until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    until(timeout, () -> what, condition);
  }

  /** As above; {@code what} is computed only on failure, so it can show the latest state. */
  public static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Waited " + timeout + " for: " + what.get());
      }
      pause(POLL);
    }
  }

  /** Sleeps; an interrupt ends the sleep early and is kept for the caller to see. */
  public static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting", e);
    }
  }
}
