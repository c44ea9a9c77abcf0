package dev.sepia.comms.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.comms.testing.Loopback;
import dev.sepia.comms.testing.PausableProxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A peer that goes silent without closing (a dead NAT, a pulled cable) is found by the keep-alive
 * within the dead-connection limit, not after minutes of TCP retries.
 */
class DeadPeerTest {

  private static final CommsSettings FAST =
      CommsSettings.DEFAULTS.withKeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(3));

  @Test
  void peerThatStopsAnswering_isDeclaredDead_andTheCallInFlightFails() throws Exception {
    TestServices services = new TestServices();
    try (ListeningServer tentacle = Loopback.tentacleServer(services.services(), FAST, 0)) {
      tentacle.start();
      try (PausableProxy proxy = new PausableProxy(tentacle.port());
          RpcChannel channel = Loopback.connect(proxy.port(), FAST)) {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    channel.call("block", null, Duration.ofSeconds(60));
                    failure.complete(null);
                  } catch (Throwable t) {
                    failure.complete(t);
                  }
                });
        assertThat(services.blocked.await(5, TimeUnit.SECONDS)).isTrue();

        long silentFrom = System.nanoTime();
        proxy.pause();

        Throwable thrown = failure.get(10, TimeUnit.SECONDS);
        Duration detectedAfter = Duration.ofNanos(System.nanoTime() - silentFrom);
        assertThat(thrown)
            .isInstanceOf(ConnectionLostException.class)
            .hasMessageContaining("no traffic from the Tentacle at 127.0.0.1:" + proxy.port());
        // Dead after 3s of silence, noticed at the next 1s tick.
        assertThat(detectedAfter).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(6));
      } finally {
        services.release.countDown();
      }
    }
  }
}
