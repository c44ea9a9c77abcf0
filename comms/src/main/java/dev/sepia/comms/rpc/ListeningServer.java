package dev.sepia.comms.rpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * The Tentacle's side of listening mode: it accepts the server's sockets on its comms port (10933)
 * and serves its methods on them. Build {@code ssl} with {@code PinnedTls.context} so that only the
 * trusted servers get through the handshake, and the others are explained.
 */
public final class ListeningServer implements AutoCloseable {

  private final RpcServices services;
  private final CommsSettings settings;
  private final EndpointThreads threads;
  private final WebSocketHost host;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

  public ListeningServer(InetSocketAddress bind, SSLContext ssl, RpcServices services) {
    this(bind, ssl, services, CommsSettings.DEFAULTS);
  }

  /** As above, with other timings. */
  public ListeningServer(
      InetSocketAddress bind, SSLContext ssl, RpcServices services, CommsSettings settings) {
    this.services = Objects.requireNonNull(services, "services");
    this.settings = Objects.requireNonNull(settings, "settings");
    String name = "sepia-comms-listening-" + bind.getPort();
    this.threads = new EndpointThreads(name);
    this.host = new WebSocketHost(bind, ssl, settings, name, this::open);
  }

  /**
   * @throws IOException if the port is taken ("Port 10933 on 0.0.0.0 is already in use")
   */
  public void start() throws IOException {
    try {
      host.start();
    } catch (IOException | RuntimeException e) {
      threads.close();
      throw e;
    }
  }

  /** The port listened on: the bound one if 0 was asked for. */
  public int port() {
    return host.port();
  }

  /** Stops listening and drops every connection; the server's calls in flight fail at once. */
  @Override
  public void close() {
    for (Connection c : connections) {
      c.close("the Tentacle is shutting down");
    }
    host.close();
    threads.close();
  }

  private Connection open(Wire wire, String peerThumbprint, String peerAddress) {
    Connection c =
        Connection.open(wire, "the server at " + peerAddress, services, settings, threads);
    connections.add(c);
    c.closedFuture().whenComplete((reason, failure) -> connections.remove(c));
    return c;
  }
}
