package dev.sepia.comms.rpc;

import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.comms.tls.TrustedThumbprints;
import dev.sepia.crypto.CertificateWithKey;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Tentacle's side of polling mode: it keeps {@code connections} sockets open to the server's
 * polling port and serves the server's calls on them. Each socket redials on any failure with
 * jittered exponential back-off (never a tight loop), and a refused certificate is logged on this
 * side with the fix.
 */
public final class PollingClient implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PollingClient.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private static final int MAX_CONNECTIONS = 512;

  private final String serverAddress;
  private final RpcServices services;
  private final int connections;
  private final CommsSettings settings;
  private final EndpointThreads threads;
  private final Dialer dialer;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Set<Connection> live = ConcurrentHashMap.newKeySet();
  private final List<Thread> loops = new ArrayList<>();
  private final AtomicReference<String> lastFailure = new AtomicReference<>();

  /**
   * @param server {@code https://host:10943/}
   * @param trustedServers the servers this Tentacle obeys
   * @param connections sockets to keep open (2 is the usual choice): a long transfer on one does
   *     not hold up calls on the other
   */
  public PollingClient(
      URI server,
      CertificateWithKey tentacleIdentity,
      TrustedThumbprints trustedServers,
      RpcServices services,
      int connections,
      TrustRejectionListener listener) {
    this(
        server,
        tentacleIdentity,
        trustedServers,
        services,
        connections,
        listener,
        CommsSettings.DEFAULTS);
  }

  /** As above, with other timings. */
  public PollingClient(
      URI server,
      CertificateWithKey tentacleIdentity,
      TrustedThumbprints trustedServers,
      RpcServices services,
      int connections,
      TrustRejectionListener listener,
      CommsSettings settings) {
    if (connections < 1 || connections > MAX_CONNECTIONS) {
      throw new IllegalArgumentException(
          "A polling Tentacle keeps 1 to " + MAX_CONNECTIONS + " connections, not " + connections);
    }
    this.services = Objects.requireNonNull(services, "services");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.connections = connections;
    this.serverAddress = CommsUris.hostPort(server);
    SSLContext ssl =
        PinnedTls.context(tentacleIdentity, trustedServers, PinnedTls.TENTACLE_ROLE, listener);
    String name = "sepia-comms-polling-to-" + serverAddress;
    this.threads = new EndpointThreads(name);
    try {
      this.dialer =
          new Dialer(
              server,
              ssl,
              PinnedTls.TENTACLE_ROLE,
              tentacleIdentity.thumbprint(),
              CONNECT_TIMEOUT,
              threads.workers());
    } catch (RuntimeException e) {
      threads.close();
      throw e;
    }
  }

  /** Starts dialing in the background and returns at once. */
  public synchronized void start() {
    if (!loops.isEmpty() || stopping.getCount() == 0) {
      throw new IllegalStateException("Already started or closed");
    }
    for (int i = 1; i <= connections; i++) {
      PollingLoop loop = new PollingLoop(dialer, this::open, settings, stopping, new Reporter(i));
      loops.add(Thread.ofVirtual().name("sepia-polling-" + serverAddress + "-" + i).start(loop));
    }
  }

  /** Sockets open to the server right now. */
  public int connectedCount() {
    return (int) live.stream().filter(Connection::isOpen).count();
  }

  /** Stops dialing and drops every socket; the server's calls in flight fail at once. */
  @Override
  public synchronized void close() {
    stopping.countDown();
    for (Connection c : live) {
      c.close("the Tentacle is shutting down");
    }
    dialer.close();
    long deadline = System.nanoTime() + STOP_WAIT.toNanos();
    for (Thread loop : loops) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !loop.join(Duration.ofNanos(left))) {
          log.warn("A polling loop to {} did not stop in time", serverAddress);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    threads.close();
  }

  private Connection open(Wire wire) {
    Connection c =
        Connection.open(wire, "the server at " + serverAddress, services, settings, threads);
    live.add(c);
    c.closedFuture().whenComplete((reason, failure) -> live.remove(c));
    return c;
  }

  /** Logs the loops' events; a failure repeated by every retry is logged once at WARN. */
  private final class Reporter implements PollingLoop.Events {
    private final int slot;

    Reporter(int slot) {
      this.slot = slot;
    }

    @Override
    public void connected(Connection connection) {
      String failed = lastFailure.getAndSet(null);
      log.info(
          "Polling connection {} of {} to the server at {} is up{}",
          slot,
          connections,
          serverAddress,
          failed == null ? "" : " (it had failed: " + failed + ")");
    }

    @Override
    public void disconnected(Connection connection, String reason, Duration retryIn) {
      log.info(
          "Polling connection {} to the server at {} closed ({}); reconnecting in {}",
          slot,
          serverAddress,
          reason,
          Durations.format(retryIn));
    }

    @Override
    public void failed(RpcException failure, Duration retryIn) {
      // Our own refusal was explained in full by the trust rejection listener already.
      String message =
          failure instanceof PeerUntrustedException untrusted
              ? "this Tentacle does not trust the certificate the server presented (thumbprint "
                  + untrusted.rejection().presentedThumbprint()
                  + ")."
              : failure.getMessage();
      if (message.equals(lastFailure.getAndSet(message))) {
        log.debug(
            "Polling connection {} failed again; retrying in {}", slot, Durations.format(retryIn));
      } else {
        log.warn(
            "Polling connection {} to the server at {} failed: {} Retrying in {}.",
            slot,
            serverAddress,
            message,
            Durations.format(retryIn));
      }
    }
  }
}
