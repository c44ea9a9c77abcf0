package dev.sepia.server.recovery;

import dev.sepia.server.store.catalogue.CatalogueWalk;
import java.io.PrintWriter;
import java.util.Map;

/**
 * TEST ONLY: makes a recovery (or a master key rotation) stop at a named point, so that tests can
 * prove a rerun finishes the job from there. Read from the environment variable {@code
 * SEPIA_TEST_FAIL_AT}; unset in every real use, where {@link #none()} is what runs. Points, in the
 * order a recovery reaches them:
 *
 * <ul>
 *   <li>{@code after-key-saved}: the new master key is in the config, nothing else is done
 *   <li>{@code after-recovery-recorded}: the recovery row exists, no value is cleared yet
 *   <li>{@code in-batch-N}: inside the N-th batch's transaction, after its updates (rolled back)
 *   <li>{@code after-batch-N}: the N-th batch is committed
 *   <li>{@code pause-after-batch-N}: prints {@link #PAUSED} and waits forever, for a test that
 *       kills the process there
 *   <li>{@code after-certificate}: the new server certificate is stored
 *   <li>{@code before-verifier}: the report is written, the verifier is not
 * </ul>
 *
 * {@code SEPIA_TEST_RECOVERY_BATCH_SIZE} (also test-only) makes batches small enough to have many.
 * A rotation's points are listed in {@code dev.sepia.server.rotation.MasterKeyRotation}.
 */
public final class FaultPoints {
  public static final String FAIL_AT = "SEPIA_TEST_FAIL_AT";
  public static final String BATCH_SIZE = "SEPIA_TEST_RECOVERY_BATCH_SIZE";
  public static final String PAUSED = "PAUSED for a test";
  static final int DEFAULT_BATCH_SIZE = 1000;

  private final String failAt;
  private final int batchSize;

  private FaultPoints(String failAt, int batchSize) {
    this.failAt = failAt;
    this.batchSize = batchSize;
  }

  public static FaultPoints none() {
    return new FaultPoints(null, DEFAULT_BATCH_SIZE);
  }

  public static FaultPoints from(Map<String, String> env) {
    String size = env.get(BATCH_SIZE);
    return new FaultPoints(
        env.get(FAIL_AT), size == null ? DEFAULT_BATCH_SIZE : Math.max(1, Integer.parseInt(size)));
  }

  /** How many rows a walk over the catalogue takes per batch (and per transaction). */
  public int batchSize() {
    return batchSize;
  }

  /** Fails (or pauses) if the test asked to stop at {@code point}. */
  public void reach(String point, Runnable beforePause) {
    if (failAt == null) {
      return;
    }
    if (failAt.equals("pause-" + point)) {
      beforePause.run();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failAt.equals(point)) {
      throw new InjectedFault(point);
    }
  }

  /**
   * The fault points of a catalogue walk: {@code after-batch-N} fails after batch N committed;
   * {@code pause-after-batch-N} says so on {@code out} and waits to be killed.
   */
  public CatalogueWalk.AfterBatch afterBatch(PrintWriter out) {
    return number ->
        reach(
            "after-batch-" + number,
            () -> {
              out.println(PAUSED + " after batch " + number);
              out.flush();
            });
  }

  /** The failure a test asked for. */
  public static final class InjectedFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFault(String point) {
      super("Test fault injected at " + point + " (" + FAIL_AT + ")");
    }
  }
}
