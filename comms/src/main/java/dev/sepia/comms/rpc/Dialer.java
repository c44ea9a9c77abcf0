package dev.sepia.comms.rpc;

import dev.sepia.comms.tls.PinnedTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The dialing side of a comms port: opens {@code wss://host:port/sepia/comms} with the JDK's client
 * and our pinned TLS context. Owns one HttpClient (and so one selector thread) for all its sockets;
 * closing it drops them.
 */
final class Dialer implements AutoCloseable {

  /** The WebSocket opening handshake is bounded by the connect timeout; this is a backstop. */
  private static final Duration SLACK = Duration.ofSeconds(5);

  private final URI target;
  private final String localRole;
  private final String localThumbprint;
  private final Duration connectTimeout;
  private final HttpClient http;

  /**
   * @param address {@code https://host:port/}
   * @param localRole {@code "server"} or {@code "tentacle"}: who we are, for refusal messages
   */
  Dialer(
      URI address,
      SSLContext ssl,
      String localRole,
      String localThumbprint,
      Duration connectTimeout,
      Executor executor) {
    this.target = CommsUris.webSocket(address);
    this.localRole = localRole;
    this.localThumbprint = localThumbprint;
    this.connectTimeout = connectTimeout;
    SSLParameters parameters = ssl.getDefaultSSLParameters();
    parameters.setProtocols(PinnedTls.protocols());
    this.http =
        HttpClient.newBuilder()
            .sslContext(ssl)
            .sslParameters(parameters)
            .connectTimeout(connectTimeout)
            .executor(executor)
            .build();
  }

  URI target() {
    return target;
  }

  /**
   * Opens a socket and the connection on it.
   *
   * @param opener makes the connection when the socket opens
   */
  Connection dial(Function<Wire, Connection> opener) throws RpcException {
    JdkWire wire = new JdkWire(opener);
    CompletableFuture<WebSocket> opening =
        http.newWebSocketBuilder().connectTimeout(connectTimeout).buildAsync(target, wire);
    try {
      opening.get(connectTimeout.plus(SLACK).toNanos(), TimeUnit.NANOSECONDS);
      return wire.connection();
    } catch (ExecutionException e) {
      throw DialFailures.explain(e.getCause(), target, localRole, localThumbprint, connectTimeout);
    } catch (TimeoutException e) {
      abandon(opening);
      throw new UnreachableException(
          "Could not connect to "
              + target
              + ": no answer within "
              + Durations.format(connectTimeout.plus(SLACK)));
    } catch (InterruptedException e) {
      abandon(opening);
      Thread.currentThread().interrupt();
      throw new RpcException("Interrupted while connecting to " + target);
    }
  }

  /** Drops every socket this dialer opened. */
  @Override
  public void close() {
    http.shutdownNow();
  }

  // A socket that opens after we gave up on it must not linger.
  private static void abandon(CompletableFuture<WebSocket> opening) {
    opening.thenAccept(WebSocket::abort);
    opening.cancel(true);
  }
}
