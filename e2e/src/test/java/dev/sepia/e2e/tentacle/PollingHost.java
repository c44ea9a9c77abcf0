package dev.sepia.e2e.tentacle;

import dev.sepia.comms.contract.TentacleClient;
import dev.sepia.comms.rpc.PollingServer;
import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.comms.tls.TrustedThumbprints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The server's polling port, hosted by the test JVM with the comms library: it presents {@link
 * TestServerIdentity} and accepts exactly the given Tentacles. It can be restarted on the same
 * port, as a server restart would.
 */
public final class PollingHost implements AutoCloseable {
  private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(10);

  private final SSLContext ssl;
  private final int port;
  private volatile PollingServer server;

  private PollingHost(SSLContext ssl, PollingServer server) {
    this.ssl = ssl;
    this.server = server;
    this.port = server.port();
  }

  /** Starts listening on a free port of 127.0.0.1 for these polling Tentacles. */
  public static PollingHost start(Collection<String> tentacleThumbprints) {
    SSLContext ssl =
        PinnedTls.context(
            TestServerIdentity.get(),
            TrustedThumbprints.of(List.copyOf(tentacleThumbprints)),
            PinnedTls.SERVER_ROLE,
            TrustRejectionListener.LOG);
    // Not port 0: a port from the ephemeral range could be taken while a restart has it closed.
    PollingServer server = new PollingServer(loopback(Ports.free()), ssl);
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PollingHost(ssl, server);
  }

  public int port() {
    return port;
  }

  /**
   * A client for the Tentacle with this thumbprint; each call waits up to {@code waitForConnection}
   * for it to be connected.
   */
  public TentacleClient client(String tentacleThumbprint, Duration waitForConnection) {
    return new TentacleClient(server.channelFor(tentacleThumbprint, waitForConnection));
  }

  public boolean isConnected(String tentacleThumbprint) {
    return server.isConnected(tentacleThumbprint);
  }

  /**
   * Stops the polling port, dropping every Tentacle, and opens it again on the same port. Channels
   * made before belong to the old server: ask for new clients.
   */
  public synchronized void restart() {
    server.close();
    long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
    while (true) {
      PollingServer fresh = new PollingServer(loopback(port), ssl);
      try {
        fresh.start();
        server = fresh;
        return;
      } catch (IOException e) {
        fresh.close();
        if (System.nanoTime() - deadline > 0) {
          throw new UncheckedIOException("Could not listen on port " + port + " again", e);
        }
        Waits.pause(Duration.ofMillis(100));
      }
    }
  }

  @Override
  public void close() {
    server.close();
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }
}
