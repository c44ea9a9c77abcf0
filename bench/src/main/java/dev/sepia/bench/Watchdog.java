package dev.sepia.bench;

import java.time.Duration;
import java.util.Map;

/**
 * Bounds the benchmark's total time: if it still runs after the limit, prints which threads are
 * alive (the likely culprit is among them) and halts the JVM with exit code 3. A daemon, so it
 * never keeps the JVM alive itself.
 */
final class Watchdog {
  static final int EXIT_CODE = 3;

  private Watchdog() {}

  static void start(Duration limit) {
    Thread.ofPlatform()
        .name("bench-watchdog")
        .daemon(true)
        .start(
            () -> {
              try {
                Thread.sleep(limit);
              } catch (InterruptedException e) {
                return;
              }
              System.err.println(
                  "The benchmark ran longer than "
                      + limit.toMinutes()
                      + " min (--timeoutMinutes) and is stopped. Live threads:");
              for (Map.Entry<Thread, StackTraceElement[]> e :
                  Thread.getAllStackTraces().entrySet()) {
                StackTraceElement[] stack = e.getValue();
                System.err.println(
                    "  "
                        + e.getKey().getName()
                        + (e.getKey().isDaemon() ? " (daemon)" : "")
                        + (stack.length > 0 ? " at " + stack[0] : ""));
              }
              Runtime.getRuntime().halt(EXIT_CODE);
            });
  }
}
