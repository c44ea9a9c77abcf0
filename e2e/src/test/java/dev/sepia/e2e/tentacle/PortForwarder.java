package dev.sepia.e2e.tentacle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP port forwarder on 127.0.0.1 that stands for the network between server and Tentacle: it
 * accepts on its own port and relays every connection, byte for byte, to a target port on
 * 127.0.0.1. On demand it cuts every current connection (with a TCP reset, as a dropped link or a
 * firewall would), refuses new connections (the port closes) or accepts them again (on the same
 * port), and slows traffic down so that a transfer is still under way when it is cut.
 *
 * <p>It never reads what it relays: TLS runs end to end through it.
 */
public final class PortForwarder implements AutoCloseable {
  private static final int BUFFER = 16 * 1024;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final int targetPort;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile ServerSocket listener;
  private volatile long bytesPerSecond;
  private volatile boolean closed;

  private PortForwarder(int targetPort, ServerSocket listener) {
    this.targetPort = targetPort;
    this.listener = listener;
    this.port = listener.getLocalPort();
  }

  /**
   * Starts forwarding a free port of 127.0.0.1 to {@code targetPort} on 127.0.0.1. The port comes
   * from {@link Ports}, so that no outgoing connection takes it while it is closed.
   */
  public static PortForwarder start(int targetPort) {
    PortForwarder forwarder = new PortForwarder(targetPort, bind(Ports.free()));
    forwarder.acceptOn(forwarder.listener);
    return forwarder;
  }

  /** The port to dial instead of the target's. */
  public int port() {
    return port;
  }

  /** Connections accepted so far, cut or not. */
  public int acceptedCount() {
    return accepted.get();
  }

  /** Connections being relayed now. */
  public int openCount() {
    return open.size() / 2;
  }

  /** Resets every connection being relayed now, both towards the caller and the target. */
  public void cutAll() {
    for (Socket socket : List.copyOf(open)) {
      reset(socket);
    }
  }

  /** Closes the port: new connections are refused until {@link #acceptNew()}. */
  public synchronized void refuseNew() {
    closeQuietly(listener);
  }

  /** Opens the port again (the same number) if it was closed. */
  public synchronized void acceptNew() {
    if (closed || !listener.isClosed()) {
      return;
    }
    listener = bind(port);
    acceptOn(listener);
  }

  /** Limits each direction of each connection to about this many bytes a second; 0 for none. */
  public void throttle(long bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeQuietly(listener);
    cutAll();
  }

  private static ServerSocket bind(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port, e);
    }
  }

  private void acceptOn(ServerSocket socket) {
    Thread.ofVirtual()
        .name("forwarder-accept-" + port)
        .start(
            () -> {
              while (!socket.isClosed()) {
                try {
                  Socket caller = socket.accept();
                  accepted.incrementAndGet();
                  Thread.ofVirtual().name("forwarder-connect-" + port).start(() -> relay(caller));
                } catch (IOException e) {
                  // The port was closed (refuseNew or close): stop accepting on it.
                }
              }
            });
  }

  private void relay(Socket caller) {
    Socket target = new Socket();
    try {
      target.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
          (int) CONNECT_TIMEOUT.toMillis());
    } catch (IOException e) {
      // Nobody answers at the target: the caller sees its connection closed, as through a proxy.
      closeQuietly(caller);
      closeQuietly(target);
      return;
    }
    open.add(caller);
    open.add(target);
    if (closed) {
      reset(caller);
      reset(target);
      return;
    }
    Thread.ofVirtual().name("forwarder-up-" + port).start(() -> pump(caller, target));
    Thread.ofVirtual().name("forwarder-down-" + port).start(() -> pump(target, caller));
  }

  /** Copies until either side ends, then closes both: half-open connections are not needed. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[BUFFER];
    long started = System.nanoTime();
    long moved = 0;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        moved += n;
        long rate = bytesPerSecond;
        if (rate > 0) {
          long due = started + moved * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
          }
        } else {
          started = System.nanoTime();
          moved = 0;
        }
      }
    } catch (IOException e) {
      // Cut, reset by a peer, or closed by the other pump: either way this connection is over.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  /** Closes with SO_LINGER 0, which sends a TCP reset instead of an orderly end. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // Already closed.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing is all that was wanted.
    }
  }
}
