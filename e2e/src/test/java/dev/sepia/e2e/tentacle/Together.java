package dev.sepia.e2e.tentacle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs independent set-up steps side by side (installing two Tentacles on two "machines" mostly
 * waits for JVMs to start), and fails the way the first failing step failed.
 */
public final class Together {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private Together() {}

  /** A set-up step; it may throw anything, including assertion errors. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  /** Runs every step, waits for all of them, then rethrows the first failure if there was one. */
  public static void run(Step... steps) {
    ExecutorService threads = Executors.newFixedThreadPool(steps.length);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (Step step : steps) {
        running.add(
            threads.submit(
                () -> {
                  step.run();
                  return null;
                }));
      }
      Throwable first = null;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      for (Future<?> future : running) {
        try {
          future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          first = first == null ? e.getCause() : first;
        } catch (TimeoutException e) {
          first = first == null ? new AssertionError("A set-up step ran over " + TIMEOUT) : first;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          first = first == null ? e : first;
        }
      }
      if (first instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (first instanceof Error error) {
        throw error;
      }
      if (first != null) {
        throw new IllegalStateException(first);
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
