package dev.sepia.comms.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.comms.testing.GeneratedStream;
import dev.sepia.comms.testing.Hashing;
import dev.sepia.comms.testing.RecordingListener;
import dev.sepia.comms.testing.TestIdentities;
import dev.sepia.comms.tls.PeerRejection;
import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.comms.tls.TrustedThumbprints;
import dev.sepia.crypto.CertificateWithKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Polling mode: the Tentacle dials the server, and the server calls it over that socket. */
class PollingTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String TENTACLE = TestIdentities.tentacle().thumbprint();

  /** The server's registered polling Tentacles: a live set, as the server's database would be. */
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  private final RecordingListener serverRejections = new RecordingListener();
  private final TestServices tentacleServices = new TestServices();
  private PollingServer server;
  private PollingClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void pollingTentacle_connects_andTheServerCallsItByThumbprint() throws Exception {
    registered.add(TENTACLE);
    server = startServer(0);
    client = startClient(TestIdentities.tentacle(), TrustRejectionListener.LOG, 2);

    JsonNode answer =
        server.channelFor(TENTACLE, TIMEOUT).call("echo", TestServices.params("n", 5), TIMEOUT);

    assertThat(answer.path("n").asInt()).isEqualTo(5);
    assertThat(server.isConnected(TENTACLE.toLowerCase())).isTrue();
    assertThat(server.connectedThumbprints()).containsExactly(TENTACLE);
    awaitTrue(() -> client.connectedCount() == 2);
  }

  @Test
  void streamsFlowBothWays_overAPollingConnection() throws Exception {
    registered.add(TENTACLE);
    server = startServer(0);
    client = startClient(TestIdentities.tentacle(), TrustRejectionListener.LOG, 1);
    RpcChannel channel = server.channelFor(TENTACLE, TIMEOUT);
    long size = 8L * 1024 * 1024;

    GeneratedStream up = new GeneratedStream(size, 3);
    JsonNode uploaded = channel.upload("hashUpload", null, up, TIMEOUT);
    assertThat(uploaded.path("sha256").asText()).isEqualTo(up.sha256());

    try (RpcDownload down =
        channel.download(
            "generate",
            TestServices.JSON.objectNode().put("length", size).put("seed", 4),
            TIMEOUT)) {
      Hashing received = Hashing.of(down.body());
      assertThat(received.count()).isEqualTo(size);
      assertThat(received.sha256()).isEqualTo(tentacleServices.lastDownload.get().sha256());
    }
  }

  @Test
  void unknownTentacle_isRefusedByTheServer_andRetriesWithBackoff_withoutSpinning()
      throws Exception {
    server = startServer(0);
    ListAppender<ILoggingEvent> tentacleLog = capture(PollingClient.class);
    try {
      client = startClient(TestIdentities.stranger(), TrustRejectionListener.LOG, 1);

      Thread.sleep(3500);

      List<PeerRejection> rejections = serverRejections.rejections();
      // Back-off from 0.5s doubling: about 4 attempts in 3.5s (the JDK may retry each once).
      // A client retrying in a loop would have made hundreds.
      assertThat(rejections).hasSizeBetween(2, 12);
      assertThat(rejections)
          .allSatisfy(
              r -> {
                assertThat(r.localRole()).isEqualTo("server");
                assertThat(r.presentedThumbprint())
                    .isEqualTo(TestIdentities.stranger().thumbprint());
              });
      assertThat(client.connectedCount()).isZero();
      assertThat(warnings(tentacleLog))
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("refused this Tentacle's certificate")
                      .contains(TestIdentities.stranger().thumbprint()));
      // Logged once, not once per retry.
      assertThat(warnings(tentacleLog)).hasSize(1);
    } finally {
      release(tentacleLog, PollingClient.class);
    }
  }

  @Test
  void serverRestart_tentacleReconnects_andCallsWorkAgain() throws Exception {
    registered.add(TENTACLE);
    server = startServer(0);
    int port = server.port();
    client = startClient(TestIdentities.tentacle(), TrustRejectionListener.LOG, 1);
    server.channelFor(TENTACLE, TIMEOUT).call("echo", null, TIMEOUT);

    server.close();
    server = startServer(port);

    JsonNode answer =
        server.channelFor(TENTACLE, TIMEOUT).call("echo", TestServices.params("back", 1), TIMEOUT);
    assertThat(answer.path("back").asInt()).isEqualTo(1);
  }

  @Test
  void tentacleThatNeverConnects_isUnreachable_afterTheWait() throws Exception {
    server = startServer(0);
    RpcChannel channel =
        server.channelFor(TestIdentities.stranger().thumbprint(), Duration.ofMillis(300));

    long start = System.nanoTime();
    assertThatThrownBy(() -> channel.call("echo", null, TIMEOUT))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining(
            "The polling Tentacle "
                + TestIdentities.stranger().thumbprint()
                + " has not connected within 300ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void tentacleThatDoesNotTrustTheServer_refusesIt_andSaysWhichThumbprintKnocked()
      throws Exception {
    registered.add(TENTACLE);
    server = startServer(0);
    RecordingListener tentacleSide = new RecordingListener();
    client =
        new PollingClient(
            serverUri(server.port()),
            TestIdentities.tentacle(),
            TrustedThumbprints.of(List.of(TestIdentities.stranger().thumbprint())),
            tentacleServices.services(),
            1,
            tentacleSide,
            fast());
    client.start();

    List<PeerRejection> rejections = tentacleSide.await(1, TIMEOUT);

    assertThat(rejections).isNotEmpty();
    assertThat(rejections.get(0).localRole()).isEqualTo("tentacle");
    assertThat(rejections.get(0).presentedThumbprint())
        .isEqualTo(TestIdentities.server().thumbprint());
    assertThat(server.isConnected(TENTACLE)).isFalse();
  }

  @Test
  void revokedTentacle_onceDisconnected_cannotComeBack() throws Exception {
    registered.add(TENTACLE);
    server = startServer(0);
    client = startClient(TestIdentities.tentacle(), TrustRejectionListener.LOG, 1);
    server.channelFor(TENTACLE, TIMEOUT).call("echo", null, TIMEOUT);

    registered.remove(TENTACLE);
    server.disconnect(TENTACLE);

    assertThat(serverRejections.await(1, TIMEOUT)).isNotEmpty();
    assertThat(server.isConnected(TENTACLE)).isFalse();
  }

  private PollingServer startServer(int port) throws Exception {
    TrustedThumbprints live =
        new TrustedThumbprints() {
          @Override
          public boolean isTrusted(String thumbprint) {
            return registered.contains(thumbprint);
          }

          @Override
          public Set<String> all() {
            return Set.copyOf(registered);
          }
        };
    PollingServer s =
        new PollingServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
            PinnedTls.context(
                TestIdentities.server(), live, PinnedTls.SERVER_ROLE, serverRejections),
            fast());
    s.start();
    return s;
  }

  private PollingClient startClient(
      CertificateWithKey identity, TrustRejectionListener listener, int connections) {
    PollingClient c =
        new PollingClient(
            serverUri(server.port()),
            identity,
            TrustedThumbprints.of(List.of(TestIdentities.server().thumbprint())),
            tentacleServices.services(),
            connections,
            listener,
            fast());
    c.start();
    return c;
  }

  private static CommsSettings fast() {
    return CommsSettings.DEFAULTS.withKeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(3));
  }

  private static URI serverUri(int port) {
    return URI.create("https://127.0.0.1:" + port + "/");
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  private static ListAppender<ILoggingEvent> capture(Class<?> type) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(type)).addAppender(appender);
    return appender;
  }

  private static void release(ListAppender<ILoggingEvent> appender, Class<?> type) {
    ((Logger) LoggerFactory.getLogger(type)).detachAppender(appender);
  }

  private static List<String> warnings(ListAppender<ILoggingEvent> appender) {
    return appender.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
