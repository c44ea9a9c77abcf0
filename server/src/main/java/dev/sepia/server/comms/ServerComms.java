package dev.sepia.server.comms;

import dev.sepia.comms.rpc.ListeningClient;
import dev.sepia.comms.rpc.PollingServer;
import dev.sepia.comms.rpc.RpcChannel;
import dev.sepia.comms.rpc.RpcException;
import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.server.model.machines.CommunicationStyle;
import dev.sepia.server.model.machines.Machine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * Reaches Tentacles: dials listening ones, and hosts the port polling ones dial. Either way the
 * caller gets the same {@link RpcChannel}.
 */
public final class ServerComms implements AutoCloseable {
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration POLLING_WAIT = Duration.ofSeconds(30);

  private final CertificateWithKey identity;
  private final LiveTrust pollingTrust;
  private final PollingServer pollingServer;

  public ServerComms(
      CertificateWithKey identity,
      InetSocketAddress pollingBind,
      Supplier<Collection<String>> pollingThumbprints) {
    this.identity = identity;
    this.pollingTrust = new LiveTrust(pollingThumbprints);
    this.pollingServer =
        new PollingServer(
            pollingBind,
            PinnedTls.context(identity, pollingTrust, "server", TrustRejectionListener.LOG));
  }

  public void start() throws IOException {
    pollingServer.start();
  }

  public int pollingPort() {
    return pollingServer.port();
  }

  public String thumbprint() {
    return identity.thumbprint();
  }

  /**
   * Call after targets change, so the polling port accepts exactly the registered ones. Trust is
   * checked when a socket opens, so connections of Tentacles no longer trusted are closed here.
   */
  public void refreshTrust() {
    pollingTrust.refresh();
    for (String connected : pollingServer.connectedThumbprints()) {
      if (!pollingTrust.isTrusted(connected)) {
        pollingServer.disconnect(connected);
      }
    }
  }

  public boolean isPollingConnected(String thumbprint) {
    return pollingServer.isConnected(thumbprint);
  }

  public RpcChannel channelFor(Machine machine) throws RpcException {
    if (machine.communicationStyle() == CommunicationStyle.TentacleActive) {
      return pollingServer.channelFor(machine.thumbprint(), POLLING_WAIT);
    }
    return ListeningClient.connect(
        URI.create(machine.uri()),
        identity,
        machine.thumbprint(),
        TrustRejectionListener.LOG,
        CONNECT_TIMEOUT);
  }

  @Override
  public void close() {
    pollingServer.close();
  }
}
