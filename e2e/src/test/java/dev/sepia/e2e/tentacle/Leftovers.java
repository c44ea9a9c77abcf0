package dev.sepia.e2e.tentacle;

import java.util.ArrayList;
import java.util.List;

/**
 * A safety net behind the tests' own clean-up: what is registered here runs when the test JVM
 * exits, even if it is stopped before the tests' {@code @AfterAll} methods could run (a build
 * timeout, Ctrl-C). Every registered action must be harmless when there is nothing left to stop.
 */
final class Leftovers {
  private static final List<Runnable> actions = new ArrayList<>();
  private static boolean hooked;

  private Leftovers() {}

  static synchronized void stopAtExit(Runnable action) {
    if (!hooked) {
      Runtime.getRuntime().addShutdownHook(new Thread(Leftovers::runAll, "e2e-leftovers"));
      hooked = true;
    }
    actions.add(action);
  }

  private static void runAll() {
    List<Runnable> copy;
    synchronized (Leftovers.class) {
      copy = List.copyOf(actions);
    }
    for (Runnable action : copy) {
      try {
        action.run();
      } catch (RuntimeException e) {
        // The JVM is exiting; the next action may still succeed.
      }
    }
  }
}
