package dev.sepia.comms.rpc;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings the peer every ping interval and declares the connection dead once nothing at all has
 * arrived from it for the dead-connection limit: a vanished peer (a dead NAT, a pulled cable) is
 * found in seconds, where TCP alone would take many minutes.
 */
final class KeepAlive {

  private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

  private final Wire wire;
  private final String peer;
  private final CommsSettings settings;
  private final Consumer<String> onDead;
  private volatile long lastInboundNanos = System.nanoTime();
  private volatile ScheduledFuture<?> ticking;

  /**
   * @param onDead closes the connection, given the reason
   */
  KeepAlive(Wire wire, String peer, CommsSettings settings, Consumer<String> onDead) {
    this.wire = wire;
    this.peer = peer;
    this.settings = settings;
    this.onDead = onDead;
  }

  /** Any frame from the peer, pong or data, proves it alive. */
  void touch() {
    lastInboundNanos = System.nanoTime();
  }

  /** False if the timer is shut down (the endpoint is closing). */
  boolean start(ScheduledExecutorService timer) {
    long period = settings.pingInterval().toMillis();
    try {
      ticking = timer.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  void stop() {
    ScheduledFuture<?> t = ticking;
    if (t != null) {
      t.cancel(false);
    }
  }

  // Must not throw: a periodic task that throws is silently never run again.
  private void tick() {
    try {
      long silentNanos = System.nanoTime() - lastInboundNanos;
      if (silentNanos >= settings.deadAfter().toNanos()) {
        onDead.accept(
            "no traffic from "
                + peer
                + " for "
                + Durations.format(Duration.ofNanos(silentNanos))
                + " (it stopped answering pings)");
        return;
      }
      wire.sendPing();
    } catch (RuntimeException e) {
      log.debug("Pinging {} failed", peer, e);
    }
  }
}
