package dev.sepia.e2e.tentacle;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers and Tentacles to listen on, chosen below the kernel's ephemeral range: a port
 * from that range (what binding port 0 returns) can be taken between the test choosing it and the
 * program binding it, by any outgoing connection on the machine, and with many tests dialing at
 * once that happens. Below the range only another explicit choice competes, and this class never
 * hands out the same port twice.
 */
public final class Ports {
  private static final int LOWEST = 10_000;
  private static final Set<Integer> handedOut = new HashSet<>();

  private Ports() {}

  /** A port of 127.0.0.1 that nothing listens on now and that no other test was given. */
  public static synchronized int free() {
    int below = ephemeralRangeStart();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (!handedOut.contains(port) && bindable(port)) {
        handedOut.add(port);
        return port;
      }
    }
    throw new IllegalStateException("No free port between " + LOWEST + " and " + below);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The first port of Linux's ephemeral range; the usual default where it cannot be read. */
  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
      int start = Integer.parseInt(range.split("\\s+")[0]);
      return start > LOWEST + 1000 ? start : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
