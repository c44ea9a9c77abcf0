package dev.sepia.comms.rpc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The threads one endpoint owns, all named after it: virtual threads for handlers and background
 * sends (cheap enough for hundreds of Tentacles in one JVM), and a timer for keep-alives. Closing
 * the endpoint shuts them down.
 */
final class EndpointThreads implements AutoCloseable {

  private final ExecutorService workers;
  private final ScheduledThreadPoolExecutor timer;

  EndpointThreads(String name) {
    this.workers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-worker-", 0).factory());
    this.timer =
        new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().name(name + "-timer").factory());
    timer.setRemoveOnCancelPolicy(true); // connections come and go; their pings must not pile up
  }

  ExecutorService workers() {
    return workers;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /** Stops the timer and interrupts handlers still running. */
  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
