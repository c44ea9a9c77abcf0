package dev.sepia.tentacle.scripts;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Stops a process and everything it started. The descendants are listed before anything is
 * signalled: once a parent dies its children are re-parented and no longer show as its descendants,
 * and would be left running.
 */
final class ProcessTrees {
  private static final Duration POLL = Duration.ofMillis(50);

  private ProcessTrees() {}

  /**
   * SIGTERM to {@code root} and its descendants; SIGKILL to whatever is still alive after {@code
   * grace} (including processes started meanwhile). Returns when all are gone or have been sent
   * SIGKILL.
   */
  static void terminate(ProcessHandle root, Duration grace) {
    Set<ProcessHandle> tree = snapshot(root);
    // The root (the script's shell) first: if a child died first, the shell would see its
    // command end and run the script's next line before its own signal arrived.
    root.destroy();
    tree.stream().filter(h -> !h.equals(root)).forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessHandle::isAlive)) {
      for (ProcessHandle h : Set.copyOf(tree)) {
        if (h.isAlive()) {
          tree.addAll(snapshot(h));
        }
      }
      sleep(POLL);
    }
    for (ProcessHandle h : Set.copyOf(tree)) {
      if (h.isAlive()) {
        tree.addAll(snapshot(h));
      }
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static Set<ProcessHandle> snapshot(ProcessHandle root) {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    tree.add(root);
    try {
      root.descendants().forEach(tree::add);
    } catch (RuntimeException e) {
      // The process may have ended while we looked; what we have is what there is.
    }
    return tree;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
