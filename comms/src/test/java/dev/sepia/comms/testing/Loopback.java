package dev.sepia.comms.testing;

import dev.sepia.comms.rpc.CommsSettings;
import dev.sepia.comms.rpc.ListeningClient;
import dev.sepia.comms.rpc.ListeningServer;
import dev.sepia.comms.rpc.RpcChannel;
import dev.sepia.comms.rpc.RpcException;
import dev.sepia.comms.rpc.RpcServices;
import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.comms.tls.TrustedThumbprints;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/** A listening Tentacle on 127.0.0.1 and the server's channel to it, trusting each other. */
public final class Loopback implements AutoCloseable {

  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  public final ListeningServer tentacle;
  public final RpcChannel channel;

  private Loopback(ListeningServer tentacle, RpcChannel channel) {
    this.tentacle = tentacle;
    this.channel = channel;
  }

  public static Loopback start(RpcServices services) throws Exception {
    return start(services, CommsSettings.DEFAULTS);
  }

  public static Loopback start(RpcServices services, CommsSettings settings) throws Exception {
    ListeningServer tentacle = tentacleServer(services, settings, 0);
    tentacle.start();
    try {
      return new Loopback(tentacle, connect(tentacle.port(), settings));
    } catch (Exception e) {
      tentacle.close();
      throw e;
    }
  }

  /** A listening Tentacle that trusts the test server. */
  public static ListeningServer tentacleServer(
      RpcServices services, CommsSettings settings, int port) {
    SSLContext ssl =
        PinnedTls.context(
            TestIdentities.tentacle(),
            TrustedThumbprints.of(List.of(TestIdentities.server().thumbprint())),
            PinnedTls.TENTACLE_ROLE,
            TrustRejectionListener.LOG);
    return new ListeningServer(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), ssl, services, settings);
  }

  /** The test server's channel to the Tentacle on this port. */
  public static RpcChannel connect(int port, CommsSettings settings) throws RpcException {
    return ListeningClient.connect(
        URI.create("https://127.0.0.1:" + port + "/"),
        TestIdentities.server(),
        TestIdentities.tentacle().thumbprint(),
        TrustRejectionListener.LOG,
        CONNECT_TIMEOUT,
        settings);
  }

  @Override
  public void close() {
    channel.close();
    tentacle.close();
  }
}
