package dev.sepia.comms.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.comms.testing.RecordingListener;
import dev.sepia.comms.testing.TestIdentities;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pinned contexts on raw TLS sockets, for each protocol version we allow. */
class PinnedTlsTest {

  private final Set<String> trustedClients = ConcurrentHashMap.newKeySet();
  private final RecordingListener serverSide = new RecordingListener();
  private SSLServerSocket listener;

  @BeforeEach
  void listen() throws IOException {
    TrustedThumbprints live =
        new TrustedThumbprints() {
          @Override
          public boolean isTrusted(String thumbprint) {
            return trustedClients.contains(thumbprint);
          }

          @Override
          public Set<String> all() {
            return Set.copyOf(trustedClients);
          }
        };
    SSLContext server =
        PinnedTls.context(TestIdentities.server(), live, PinnedTls.SERVER_ROLE, serverSide);
    listener =
        (SSLServerSocket)
            server
                .getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
    listener.setNeedClientAuth(true);
    Thread.ofPlatform().daemon().name("test-tls-acceptor").start(this::serve);
  }

  @AfterEach
  void close() throws IOException {
    listener.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void trustedClient_isServed(String protocol) throws IOException {
    trustedClients.add(TestIdentities.tentacle().thumbprint());

    assertThat(exchange(protocol)).isEqualTo(42);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void revokedClient_cannotComeBackOnItsOldSession(String protocol) throws Exception {
    trustedClients.add(TestIdentities.tentacle().thumbprint());
    SSLContext client = tentacleContext();
    assertThat(exchange(client, protocol)).isEqualTo(42);

    trustedClients.clear();

    // The client sees the refusal as an alert or a dropped socket; the server's record proves the
    // thumbprint was checked again rather than an old session resumed.
    assertThatThrownBy(() -> exchange(client, protocol)).isInstanceOf(IOException.class);
    assertThat(serverSide.await(1, Duration.ofSeconds(5)))
        .extracting(PeerRejection::presentedThumbprint)
        .contains(TestIdentities.tentacle().thumbprint());
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void clientPinningAnotherServer_refusesIt_namingWhatWasPresented(String protocol)
      throws Exception {
    trustedClients.add(TestIdentities.tentacle().thumbprint());
    RecordingListener clientSide = new RecordingListener();
    SSLContext client =
        PinnedTls.context(
            TestIdentities.tentacle(),
            TrustedThumbprints.of(List.of(TestIdentities.stranger().thumbprint())),
            PinnedTls.TENTACLE_ROLE,
            clientSide);

    assertThatThrownBy(() -> exchange(client, protocol))
        .isInstanceOf(SSLException.class)
        .rootCause()
        .isInstanceOf(UntrustedCertificateException.class);
    assertThat(clientSide.rejections()).hasSize(1);
    assertThat(clientSide.rejections().get(0).presentedThumbprint())
        .isEqualTo(TestIdentities.server().thumbprint());
    assertThat(clientSide.rejections().get(0).peerAddress())
        .endsWith(":" + listener.getLocalPort());
  }

  private int exchange(String protocol) throws IOException {
    return exchange(tentacleContext(), protocol);
  }

  private static SSLContext tentacleContext() {
    return PinnedTls.context(
        TestIdentities.tentacle(),
        TrustedThumbprints.of(List.of(TestIdentities.server().thumbprint())),
        PinnedTls.TENTACLE_ROLE,
        TrustRejectionListener.LOG);
  }

  /** Connects, sends a byte, reads the server's answer. */
  private int exchange(SSLContext client, String protocol) throws IOException {
    try (SSLSocket socket =
        (SSLSocket)
            client
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
      socket.setSoTimeout(5000);
      socket.setEnabledProtocols(new String[] {protocol});
      OutputStream out = socket.getOutputStream();
      out.write(1);
      out.flush();
      return socket.getInputStream().read();
    }
  }

  private void serve() {
    while (!listener.isClosed()) {
      try (SSLSocket socket = (SSLSocket) listener.accept()) {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        if (in.read() == 1) {
          socket.getOutputStream().write(42);
          socket.getOutputStream().flush();
        }
      } catch (IOException e) {
        // a refused handshake, or the test is over
      }
    }
  }
}
