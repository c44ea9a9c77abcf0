package dev.sepia.comms.rpc;

import dev.sepia.crypto.Certificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The server's side of polling mode: polling Tentacles dial its polling port (10943) and keep their
 * sockets open; the server calls them over those sockets. Build {@code ssl} with {@code
 * PinnedTls.context} over the live set of registered polling Tentacles, so that an unknown one is
 * refused in the handshake and the refusal is explained.
 */
public final class PollingServer implements AutoCloseable {

  private final CommsSettings settings;
  private final EndpointThreads threads;
  private final WebSocketHost host;
  private final PollingRegistry registry = new PollingRegistry();
  private final RpcServices none = new RpcServices();

  public PollingServer(InetSocketAddress bind, SSLContext ssl) {
    this(bind, ssl, CommsSettings.DEFAULTS);
  }

  /** As above, with other timings. */
  public PollingServer(InetSocketAddress bind, SSLContext ssl, CommsSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    String name = "sepia-comms-polling-" + bind.getPort();
    this.threads = new EndpointThreads(name);
    this.host = new WebSocketHost(bind, ssl, settings, name, this::open);
  }

  /**
   * @throws IOException if the port is taken
   */
  public void start() throws IOException {
    try {
      host.start();
    } catch (IOException | RuntimeException e) {
      threads.close();
      throw e;
    }
  }

  public int port() {
    return host.port();
  }

  /**
   * A channel to the polling Tentacle with this certificate thumbprint. Returns at once; each call
   * waits up to {@code waitForConnection} for the Tentacle to be connected, then fails with {@link
   * UnreachableException}.
   */
  public RpcChannel channelFor(String tentacleThumbprint, Duration waitForConnection) {
    Objects.requireNonNull(waitForConnection, "waitForConnection");
    return new PollingChannel(
        registry, Certificates.normalizeThumbprint(tentacleThumbprint), waitForConnection);
  }

  public boolean isConnected(String thumbprint) {
    return registry.isConnected(Certificates.normalizeThumbprint(thumbprint));
  }

  public Set<String> connectedThumbprints() {
    return registry.connectedThumbprints();
  }

  /**
   * Drops the Tentacle's sockets, e.g. once it is no longer trusted: trust is checked when a socket
   * opens, so sockets opened before stay up until dropped.
   */
  public void disconnect(String thumbprint) {
    for (Connection c : registry.of(Certificates.normalizeThumbprint(thumbprint))) {
      c.close("the server dropped this Tentacle's connections");
    }
  }

  /** Stops listening and drops every Tentacle; calls in flight fail at once. */
  @Override
  public void close() {
    for (Connection c : registry.close()) {
      c.close("the server is shutting down");
    }
    host.close();
    threads.close();
  }

  private Connection open(Wire wire, String thumbprint, String address) {
    Connection c =
        Connection.open(
            wire, "the polling Tentacle " + thumbprint + " at " + address, none, settings, threads);
    registry.add(thumbprint, c);
    c.closedFuture().whenComplete((reason, failure) -> registry.remove(thumbprint, c));
    return c;
  }
}
