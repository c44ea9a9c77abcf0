package dev.sepia.e2e.tentacle;

/** Stops everything a test started, even when some of it fails to stop or was never started. */
public final class Cleanup {
  private Cleanup() {}

  /**
   * Closes each one that is not null, in the order given; the first failure is thrown after all
   * were tried, the others added to it as suppressed.
   */
  public static void closeAll(AutoCloseable... resources) {
    RuntimeException failure = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("Could not stop everything the test started", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
