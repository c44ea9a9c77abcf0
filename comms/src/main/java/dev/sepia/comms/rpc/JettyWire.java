package dev.sepia.comms.rpc;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.eclipse.jetty.websocket.api.BatchMode;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.WebSocketListener;
import org.eclipse.jetty.websocket.api.WebSocketPingPongListener;
import org.eclipse.jetty.websocket.api.WriteCallback;

/**
 * The accepting side's socket: a Jetty WebSocket session, delivering frames to a {@link
 * Connection}. Jetty calls one listener method at a time per session, and the connection never
 * blocks in them.
 */
final class JettyWire implements Wire, WebSocketListener, WebSocketPingPongListener {

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final Function<Wire, Connection> opener;
  private volatile Session session;
  private volatile Connection connection;

  /**
   * @param opener makes the connection once the socket is open
   */
  JettyWire(Function<Wire, Connection> opener) {
    this.opener = opener;
  }

  // ---- from Jetty ----

  @Override
  public void onWebSocketConnect(Session session) {
    this.session = session;
    session.getRemote().setBatchMode(BatchMode.OFF);
    connection = opener.apply(this);
  }

  @Override
  public void onWebSocketText(String message) {
    connection.receivedText(message);
  }

  @Override
  public void onWebSocketBinary(byte[] payload, int offset, int length) {
    connection.receivedBinary(ByteBuffer.wrap(payload, offset, length));
  }

  // Implementing this listener turns off Jetty's automatic pong, so answer here.
  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    connection.receivedTraffic();
    ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload.duplicate()).flip();
    session.getRemote().sendPong(copy, WriteCallback.NOOP);
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    connection.receivedTraffic();
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason) {
    Connection c = connection;
    if (c != null) {
      c.transportClosed(
          "closed by the peer (" + statusCode + (reason == null ? "" : " " + reason) + ")");
    }
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    Connection c = connection;
    if (c != null) {
      c.transportClosed("the socket failed: " + cause);
    }
  }

  // ---- to Jetty ----

  @Override
  public CompletableFuture<?> sendText(String text) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    session.getRemote().sendString(text, callback(sent));
    return sent;
  }

  @Override
  public CompletableFuture<?> sendBinary(ByteBuffer frame) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    session.getRemote().sendBytes(frame, callback(sent));
    return sent;
  }

  @Override
  public void sendPing() {
    session.getRemote().sendPing(EMPTY.duplicate(), WriteCallback.NOOP);
  }

  @Override
  public void close(String reason) {
    session.close(StatusCode.NORMAL, CloseReasons.truncate(reason));
  }

  @Override
  public void abort() {
    session.disconnect();
  }

  private static WriteCallback callback(CompletableFuture<Void> sent) {
    return new WriteCallback() {
      @Override
      public void writeSuccess() {
        sent.complete(null);
      }

      @Override
      public void writeFailed(Throwable failure) {
        sent.completeExceptionally(failure);
      }
    };
  }
}
