package dev.sepia.comms.rpc;

import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.crypto.Certificates;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepting side of a comms port: Jetty serving {@code wss://host:port/sepia/comms} with mutual
 * TLS. Only peers whose certificate the context's pinning trust manager accepts get through the
 * handshake; each WebSocket they open is handed to the {@link Opener} with their thumbprint.
 */
final class WebSocketHost implements AutoCloseable {

  /** Makes the connection for a socket from an authenticated peer. */
  @FunctionalInterface
  interface Opener {
    Connection open(Wire wire, String peerThumbprint, String peerAddress);
  }

  private static final Logger log = LoggerFactory.getLogger(WebSocketHost.class);
  private static final int MAX_THREADS = 64;
  private static final int MIN_THREADS = 2;
  private static final Duration IDLE_MARGIN = Duration.ofSeconds(5);
  private static final long STOP_TIMEOUT_MILLIS = 1000;

  private final InetSocketAddress bind;
  private final SSLContext ssl;
  private final CommsSettings settings;
  private final String name;
  private final Opener opener;
  private Server server;
  private ServerConnector connector;

  WebSocketHost(
      InetSocketAddress bind, SSLContext ssl, CommsSettings settings, String name, Opener opener) {
    this.bind = bind;
    this.ssl = ssl;
    this.settings = settings;
    this.name = name;
    this.opener = opener;
  }

  /**
   * @throws IOException naming the port if it is taken
   */
  synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("Already started");
    }
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
    threads.setName(name + "-jetty");
    threads.setDaemon(true);
    Server s = new Server(threads);
    s.setStopTimeout(STOP_TIMEOUT_MILLIS);
    ServerConnector c = connector(s);
    s.addConnector(c);
    s.setHandler(webSockets());
    try {
      s.start();
    } catch (Exception e) {
      stopQuietly(s);
      if (causedBy(e, BindException.class)) {
        throw new IOException("Port " + bind.getPort() + " on " + host() + " is already in use", e);
      }
      throw new IOException("Could not listen on " + host() + ":" + bind.getPort() + ": " + e, e);
    }
    server = s;
    connector = c;
  }

  synchronized int port() {
    if (connector == null) {
      throw new IllegalStateException("Not started");
    }
    return connector.getLocalPort();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      stopQuietly(server);
    }
  }

  private ServerConnector connector(Server s) {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setSslContext(ssl);
    tls.setNeedClientAuth(true);
    tls.setIncludeProtocols(PinnedTls.protocols());
    tls.setEndpointIdentificationAlgorithm(null); // trust is the pinned thumbprint, not a name

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // Puts the client certificate on the request; no SNI check: our contexts hold no host names.
    http.addCustomizer(new SecureRequestCustomizer(false));

    ServerConnector c =
        new ServerConnector(
            s, 1, 1, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
    c.setHost(host());
    c.setPort(bind.getPort());
    c.setIdleTimeout(settings.deadAfter().plus(IDLE_MARGIN).toMillis());
    c.addBean(new HandshakeFailureLog());
    return c;
  }

  private ServletContextHandler webSockets() {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    JettyWebSocketServletContainerInitializer.configure(
        context,
        (servletContext, container) -> {
          // Our own keep-alive declares a silent peer dead first; this is the backstop.
          container.setIdleTimeout(settings.deadAfter().plus(IDLE_MARGIN));
          container.setMaxTextMessageSize(WebSocketLimits.MAX_TEXT_CHARS);
          container.setMaxBinaryMessageSize(StreamFrames.MAX_FRAME);
          container.setMaxFrameSize(WebSocketLimits.MAX_FRAME_BYTES);
          container.addMapping(WebSocketLimits.PATH, this::createWebSocket);
        });
    return context;
  }

  private Object createWebSocket(
      JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) {
    X509Certificate[] certificates = request.getCertificates();
    String address = address(request.getRemoteSocketAddress());
    if (certificates == null || certificates.length == 0) {
      // Cannot happen with client authentication required; refuse rather than trust by accident.
      log.warn("{} refused a WebSocket from {} that presented no certificate", name, address);
      try {
        response.sendForbidden("A client certificate is required");
      } catch (IOException e) {
        log.debug("Could not refuse {}", address, e);
      }
      return null;
    }
    String thumbprint = Certificates.thumbprint(certificates[0]);
    return new JettyWire(wire -> opener.open(wire, thumbprint, address));
  }

  /** The bind address as an IP literal ("0.0.0.0", "127.0.0.1"), as operators configure it. */
  private String host() {
    return bind.getAddress() == null ? bind.getHostString() : bind.getAddress().getHostAddress();
  }

  static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      String host = inet.getHostString();
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
    }
    return "unknown";
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private void stopQuietly(Server s) {
    try {
      s.stop();
    } catch (Exception e) {
      log.debug("Stopping {} failed", name, e);
    }
  }

  /**
   * Handshakes our trust manager refused are already explained by its listener; the others (a
   * client without a certificate, a TLS version mismatch) are worth a line when debugging.
   */
  private final class HandshakeFailureLog implements SslHandshakeListener {
    @Override
    public void handshakeFailed(Event event, Throwable failure) {
      SSLEngine engine = event.getSSLEngine();
      log.debug(
          "{}: TLS handshake with {}:{} failed: {}",
          name,
          engine.getPeerHost(),
          engine.getPeerPort(),
          failure.toString());
    }
  }
}
