package dev.sepia.comms.rpc;

import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.comms.tls.TrustedThumbprints;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/** The server's side of listening mode: it dials the Tentacle. */
public final class ListeningClient {

  private ListeningClient() {}

  /**
   * Connects to a listening Tentacle and returns a channel to it. The channel redials by itself if
   * the socket drops between calls; close it to release its socket and threads.
   *
   * @param tentacle {@code https://host:10933/}
   * @param expectedTentacleThumbprint the only certificate accepted from the Tentacle
   * @throws UnreachableException nobody answered
   * @throws PeerUntrustedException the Tentacle presented another certificate
   * @throws TrustRefusedByPeerException the Tentacle does not trust this server
   */
  public static RpcChannel connect(
      URI tentacle,
      CertificateWithKey serverIdentity,
      String expectedTentacleThumbprint,
      TrustRejectionListener listener,
      Duration connectTimeout)
      throws RpcException {
    return connect(
        tentacle,
        serverIdentity,
        expectedTentacleThumbprint,
        listener,
        connectTimeout,
        CommsSettings.DEFAULTS);
  }

  /** As above, with other timings. */
  public static RpcChannel connect(
      URI tentacle,
      CertificateWithKey serverIdentity,
      String expectedTentacleThumbprint,
      TrustRejectionListener listener,
      Duration connectTimeout,
      CommsSettings settings)
      throws RpcException {
    Objects.requireNonNull(settings, "settings");
    String expected = Certificates.normalizeThumbprint(expectedTentacleThumbprint);
    SSLContext ssl =
        PinnedTls.context(
            serverIdentity,
            TrustedThumbprints.of(List.of(expected)),
            PinnedTls.SERVER_ROLE,
            listener);
    String name = "sepia-comms-to-" + CommsUris.hostPort(tentacle);
    EndpointThreads threads = new EndpointThreads(name);
    Dialer dialer;
    try {
      dialer =
          new Dialer(
              tentacle,
              ssl,
              PinnedTls.SERVER_ROLE,
              serverIdentity.thumbprint(),
              connectTimeout,
              threads.workers());
    } catch (RuntimeException e) {
      threads.close();
      throw e;
    }
    ListeningChannel channel =
        new ListeningChannel(
            dialer, "the Tentacle at " + CommsUris.hostPort(tentacle), settings, threads);
    try {
      channel.connection();
    } catch (RpcException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return channel;
  }
}
