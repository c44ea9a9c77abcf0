package dev.sepia.comms.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.comms.testing.Loopback;
import dev.sepia.comms.testing.RecordingListener;
import dev.sepia.comms.testing.TestIdentities;
import dev.sepia.comms.tls.PeerRejection;
import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.comms.tls.TrustedThumbprints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Listening mode: the server dials the Tentacle, each side pins the other's thumbprint, and a
 * failed dial says which of the two refused, or that nobody answered.
 */
class ListeningConnectTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void serverWithTheRightThumbprint_callsTheTentacle() throws Exception {
    try (Loopback loop = Loopback.start(new TestServices().services())) {
      JsonNode answer = loop.channel.call("echo", TestServices.params("agentVersion", 7), TIMEOUT);

      assertThat(answer.path("agentVersion").asInt()).isEqualTo(7);
    }
  }

  @Test
  void tentacleThatDoesNotTrustTheServer_refusesIt_andBothSidesSayWhy() throws Exception {
    RecordingListener tentacleSide = new RecordingListener();
    SSLContext ssl =
        PinnedTls.context(
            TestIdentities.tentacle(),
            TrustedThumbprints.of(List.of(TestIdentities.stranger().thumbprint())),
            PinnedTls.TENTACLE_ROLE,
            tentacleSide);
    try (ListeningServer tentacle = listening(ssl)) {
      assertThatThrownBy(() -> connect(tentacle.port(), TestIdentities.tentacle().thumbprint()))
          .isInstanceOf(TrustRefusedByPeerException.class)
          .hasMessageContaining("refused this server's certificate")
          .hasMessageContaining(
              "sepia-tentacle configure --trust=" + TestIdentities.server().thumbprint());

      // The JDK's client may retry the opening handshake once, so the Tentacle may see two.
      List<PeerRejection> rejections = tentacleSide.await(1, TIMEOUT);
      assertThat(rejections).isNotEmpty();
      PeerRejection rejection = rejections.get(0);
      assertThat(rejection.localRole()).isEqualTo("tentacle");
      assertThat(rejection.presentedThumbprint()).isEqualTo(TestIdentities.server().thumbprint());
      assertThat(rejection.peerAddress()).startsWith("127.0.0.1:");
      assertThat(rejection.describe())
          .contains("CN=Sepia Server")
          .contains(TestIdentities.stranger().thumbprint())
          .contains("--reset-trust --trust=" + TestIdentities.server().thumbprint());
    }
  }

  @Test
  void serverExpectingAnotherThumbprint_refusesTheTentacle_namingExpectedAndPresented()
      throws Exception {
    RecordingListener serverSide = new RecordingListener();
    try (ListeningServer tentacle =
        Loopback.tentacleServer(new RpcServices(), CommsSettings.DEFAULTS, 0)) {
      tentacle.start();
      String expected = TestIdentities.stranger().thumbprint();

      assertThatThrownBy(
              () ->
                  ListeningClient.connect(
                      URI.create("https://127.0.0.1:" + tentacle.port() + "/"),
                      TestIdentities.server(),
                      expected,
                      serverSide,
                      TIMEOUT))
          .isInstanceOfSatisfying(
              PeerUntrustedException.class,
              e -> {
                assertThat(e.rejection().presentedThumbprint())
                    .isEqualTo(TestIdentities.tentacle().thumbprint());
                assertThat(e.rejection().trustedThumbprints()).containsExactly(expected);
              })
          .hasMessageContaining(expected)
          .hasMessageContaining(TestIdentities.tentacle().thumbprint());
      assertThat(serverSide.rejections()).isNotEmpty();
    }
  }

  @Test
  void nothingListening_isUnreachable() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }

    assertThatThrownBy(() -> connect(port, TestIdentities.tentacle().thumbprint()))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("Could not connect to wss://127.0.0.1:" + port + "/sepia/comms")
        .hasMessageContaining("Connection refused");
  }

  @Test
  void unknownHost_isUnreachable_namingTheHost() {
    assertThatThrownBy(
            () ->
                ListeningClient.connect(
                    URI.create("https://no-such-tentacle.invalid:10933/"),
                    TestIdentities.server(),
                    TestIdentities.tentacle().thumbprint(),
                    TrustRejectionListener.LOG,
                    TIMEOUT))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("unknown host 'no-such-tentacle.invalid'");
  }

  @Test
  void somethingElseOnThePort_isNotMistakenForATrustProblem() throws Exception {
    // A plain TCP listener that never speaks TLS: the dial times out or fails, but as unreachable.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () ->
                  ListeningClient.connect(
                      URI.create("https://127.0.0.1:" + silent.getLocalPort() + "/"),
                      TestIdentities.server(),
                      TestIdentities.tentacle().thumbprint(),
                      TrustRejectionListener.LOG,
                      Duration.ofMillis(500)))
          .isInstanceOf(UnreachableException.class);
    }
  }

  @Test
  void portAlreadyInUse_saysWhichPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ListeningServer tentacle =
            Loopback.tentacleServer(
                new RpcServices(), CommsSettings.DEFAULTS, taken.getLocalPort())) {
      assertThatThrownBy(tentacle::start)
          .isInstanceOf(IOException.class)
          .hasMessage("Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
    }
  }

  private static ListeningServer listening(SSLContext ssl) throws IOException {
    ListeningServer server =
        new ListeningServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ssl, new RpcServices());
    server.start();
    return server;
  }

  private static RpcChannel connect(int port, String expectedThumbprint) throws RpcException {
    return ListeningClient.connect(
        URI.create("https://127.0.0.1:" + port + "/"),
        TestIdentities.server(),
        expectedThumbprint,
        TrustRejectionListener.LOG,
        TIMEOUT);
  }
}
