package dev.sepia.comms.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.comms.testing.Loopback;
import dev.sepia.comms.testing.TestIdentities;
import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.comms.tls.TrustedThumbprints;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One JVM hosts a server and many Tentacles: closing an endpoint must give its threads back. */
class ShutdownTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void closingEveryEndpoint_leavesNoThreadsBehind() throws Exception {
    Set<Long> before = liveThreadIds();

    try (Loopback listening = Loopback.start(new TestServices().services())) {
      listening.channel.call("echo", null, TIMEOUT);
    }
    String tentacle = TestIdentities.tentacle().thumbprint();
    try (PollingServer server =
        new PollingServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            PinnedTls.context(
                TestIdentities.server(),
                TrustedThumbprints.of(List.of(tentacle)),
                PinnedTls.SERVER_ROLE,
                TrustRejectionListener.LOG))) {
      server.start();
      try (PollingClient client =
          new PollingClient(
              URI.create("https://127.0.0.1:" + server.port() + "/"),
              TestIdentities.tentacle(),
              TrustedThumbprints.of(List.of(TestIdentities.server().thumbprint())),
              new TestServices().services(),
              2,
              TrustRejectionListener.LOG)) {
        client.start();
        server.channelFor(tentacle, TIMEOUT).call("echo", null, TIMEOUT);
      }
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Set<String> left = newThreads(before);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      left = newThreads(before);
    }
    assertThat(left).isEmpty();
  }

  private static Set<Long> liveThreadIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::threadId)
        .collect(Collectors.toSet());
  }

  /** Threads started since, other than the JVM's own shared pools. */
  private static Set<String> newThreads(Set<Long> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t.threadId()))
        .map(Thread::getName)
        .filter(
            name -> !name.startsWith("ForkJoinPool") && !name.startsWith("CompletableFutureDelay"))
        .filter(name -> !name.startsWith("Attach Listener") && !name.startsWith("process reaper"))
        .filter(name -> !name.startsWith("VirtualThread-"))
        .collect(Collectors.toSet());
  }
}
