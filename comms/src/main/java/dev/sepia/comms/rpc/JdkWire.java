package dev.sepia.comms.rpc;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The dialing side's socket: the JDK's WebSocket client, delivering frames to a {@link Connection}.
 * It asks for one message at a time ({@code request(1)}), so the JDK reads from the socket no
 * faster than the connection takes messages; the JDK answers pings itself.
 */
final class JdkWire implements Wire, WebSocket.Listener {

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final long CLOSE_GRACE_SECONDS = 2;

  private final Function<Wire, Connection> opener;
  private final StringBuilder text = new StringBuilder();
  private final ByteBuffer binary = StreamFrames.newFrameBuffer();
  private volatile WebSocket socket;
  private volatile Connection connection;

  /**
   * @param opener makes the connection once the socket is open
   */
  JdkWire(Function<Wire, Connection> opener) {
    this.opener = opener;
  }

  /** The connection, once the socket has opened. */
  Connection connection() {
    return connection;
  }

  // ---- from the JDK ----

  @Override
  public void onOpen(WebSocket webSocket) {
    socket = webSocket;
    connection = opener.apply(this);
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    connection.receivedTraffic();
    if (text.length() + data.length() > WebSocketLimits.MAX_TEXT_CHARS) {
      connection.abort("the peer sent a message over " + WebSocketLimits.MAX_TEXT_CHARS + " chars");
      return null;
    }
    text.append(data);
    if (last) {
      String message = text.toString();
      text.setLength(0);
      connection.receivedText(message);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    connection.receivedTraffic();
    if (last && binary.position() == 0) {
      connection.receivedBinary(data); // the usual case: a whole frame in one piece
    } else if (data.remaining() > binary.remaining()) {
      connection.abort("the peer sent a binary message over " + StreamFrames.MAX_FRAME + " bytes");
      return null;
    } else {
      binary.put(data);
      if (last) {
        connection.receivedBinary(binary.flip());
        binary.clear();
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
    connection.receivedTraffic();
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
    connection.receivedTraffic();
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    connection.transportClosed(
        "closed by the peer (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    Connection c = connection;
    if (c != null) {
      c.transportClosed("the socket failed: " + error);
    }
  }

  // ---- to the JDK ----

  @Override
  public CompletableFuture<?> sendText(String message) {
    return socket.sendText(message, true);
  }

  @Override
  public CompletableFuture<?> sendBinary(ByteBuffer frame) {
    return socket.sendBinary(frame, true);
  }

  @Override
  public void sendPing() {
    // Fails at once if the JDK is busy sending a pong; then the next ping goes instead.
    socket.sendPing(EMPTY.duplicate());
  }

  @Override
  public void close(String reason) {
    WebSocket s = socket;
    // The peer answers a Close and the socket then closes by itself; abort in case it does not.
    s.sendClose(WebSocket.NORMAL_CLOSURE, CloseReasons.truncate(reason))
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                s.abort();
              } else {
                CompletableFuture.delayedExecutor(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS)
                    .execute(s::abort);
              }
            });
  }

  @Override
  public void abort() {
    socket.abort();
  }
}
