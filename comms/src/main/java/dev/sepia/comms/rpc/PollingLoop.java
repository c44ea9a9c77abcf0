package dev.sepia.comms.rpc;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One of a polling Tentacle's sockets, for as long as the Tentacle runs: dial, serve until the
 * socket closes, wait a backed-off moment, dial again.
 */
final class PollingLoop implements Runnable {

  /** A connection that lived this long was healthy: the back-off starts over. */
  static final Duration STABLE = Duration.ofSeconds(30);

  /** What the loop tells its owner. */
  interface Events {
    void connected(Connection connection);

    void disconnected(Connection connection, String reason, Duration retryIn);

    void failed(RpcException failure, Duration retryIn);
  }

  private final Dialer dialer;
  private final Function<Wire, Connection> opener;
  private final CommsSettings settings;
  private final CountDownLatch stopping;
  private final Events events;

  /**
   * @param stopping counted down when the Tentacle stops; wakes the loop from its back-off
   */
  PollingLoop(
      Dialer dialer,
      Function<Wire, Connection> opener,
      CommsSettings settings,
      CountDownLatch stopping,
      Events events) {
    this.dialer = dialer;
    this.opener = opener;
    this.settings = settings;
    this.stopping = stopping;
    this.events = events;
  }

  @Override
  public void run() {
    Backoff backoff =
        new Backoff(
            settings.reconnectInitialDelay(), settings.reconnectMaxDelay(), new SplittableRandom());
    while (!stopped()) {
      Duration retryIn;
      try {
        Connection connection = dialer.dial(opener);
        long opened = System.nanoTime();
        events.connected(connection);
        String reason = servedUntilClosed(connection);
        if (System.nanoTime() - opened >= STABLE.toNanos()) {
          backoff.reset();
        }
        retryIn = backoff.next();
        if (!stopped()) {
          events.disconnected(connection, reason, retryIn);
        }
      } catch (RpcException e) {
        retryIn = backoff.next();
        if (!stopped()) {
          events.failed(e, retryIn);
        }
      }
      pause(retryIn);
    }
  }

  private String servedUntilClosed(Connection connection) {
    long check = settings.pingInterval().toNanos();
    while (true) {
      try {
        return connection.closedFuture().get(check, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (stopped()) {
          connection.close("the Tentacle is shutting down");
        }
      } catch (ExecutionException e) {
        return String.valueOf(e.getCause());
      } catch (InterruptedException e) {
        connection.close("the Tentacle is shutting down");
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
  }

  private void pause(Duration delay) {
    try {
      stopping.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean stopped() {
    return stopping.getCount() == 0 || Thread.currentThread().isInterrupted();
  }
}
