package dev.sepia.comms.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on 127.0.0.1 that can stop forwarding while keeping the sockets open: to both
 * ends the peer looks alive but silent, as behind a dead NAT or a pulled cable.
 */
public final class PausableProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean paused;
  private volatile boolean closed;

  public PausableProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("test-proxy-accept").start(this::accept);
  }

  public int port() {
    return listener.getLocalPort();
  }

  public void pause() {
    paused = true;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket downstream = listener.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
        sockets.add(downstream);
        sockets.add(upstream);
        Thread.ofPlatform().daemon().name("test-proxy-up").start(() -> pump(downstream, upstream));
        Thread.ofPlatform()
            .daemon()
            .name("test-proxy-down")
            .start(() -> pump(upstream, downstream));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        while (paused && !closed) {
          Thread.sleep(20); // holds the data: nothing more passes either way
        }
        if (closed) {
          return;
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException | InterruptedException e) {
      // the test is over, or an end closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
