package dev.sepia.tentacle.agent;

import ch.qos.logback.classic.LoggerContext;
import dev.sepia.comms.rpc.ListeningServer;
import dev.sepia.comms.rpc.PollingClient;
import dev.sepia.comms.rpc.RpcServices;
import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.comms.tls.TrustedThumbprints;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.platform.AtomicFiles;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.tentacle.Version;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.files.FileStore;
import dev.sepia.tentacle.scripts.ScriptRunner;
import dev.sepia.tentacle.trust.TrustedServer;
import dev.sepia.tentacle.trust.TrustedServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Tentacle: its identity and trusted servers from the config, the script runner and file
 * store behind its RPC services, a listening endpoint (unless {@code NoListen}) and one polling
 * client per polled server. Everything is checked before anything starts: no certificate, no
 * trusted server, nothing to listen or poll on, or a port in use is refused with the command that
 * fixes it.
 */
public final class TentacleAgent implements AutoCloseable {
  /** Connections each polling client keeps open to its server. */
  public static final int POLLING_CONNECTIONS = 2;

  private static final Logger log = LoggerFactory.getLogger(TentacleAgent.class);

  private final String instanceName;
  private final String thumbprint;
  private final ScriptRunner scripts;
  private final ListeningServer listening;
  private final List<PollingClient> polling;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private TentacleAgent(
      String instanceName,
      String thumbprint,
      ScriptRunner scripts,
      ListeningServer listening,
      List<PollingClient> polling) {
    this.instanceName = instanceName;
    this.thumbprint = thumbprint;
    this.scripts = scripts;
    this.listening = listening;
    this.polling = List.copyOf(polling);
  }

  /**
   * Checks what {@link #start} needs, without starting anything: a certificate that opens on this
   * machine, at least one trusted server, something to do, and (with {@code checkPort}) a free
   * listening port.
   */
  public static CertificateWithKey preflight(TentacleConfig config, boolean checkPort) {
    CertificateWithKey identity = config.identity();
    TrustedServers trusted = config.trustedServers();
    String instance = config.instanceName();
    if (trusted.isEmpty()) {
      throw new OperatorException(
          "This Tentacle trusts no server yet, so it would refuse every request. Trust your"
              + " server with: sepia-tentacle configure --instance "
              + instance
              + " --trust=<server thumbprint> (the server prints it with: sepia-server"
              + " show-thumbprint)");
    }
    if (config.noListen() && trusted.polling().isEmpty()) {
      throw new OperatorException(
          "This Tentacle neither listens (NoListen is true) nor polls any server, so no server"
              + " could reach it. Either poll a server: sepia-tentacle server-comms --instance "
              + instance
              + " --thumbprint <server thumbprint> --style TentacleActive --host <server host>;"
              + " or listen: sepia-tentacle configure --instance "
              + instance
              + " --noListen false");
    }
    if (checkPort && !config.noListen()) {
      InetSocketAddress bind = bindAddress(config);
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(bind);
      } catch (IOException e) {
        throw portInUse(config, bind, e.getMessage());
      }
    }
    return identity;
  }

  /** Starts listening and polling; see the class comment for what is refused. */
  public static TentacleAgent start(TentacleConfig config) {
    String instance = config.instanceName();
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.putProperty("instance", instance);
    }
    CertificateWithKey identity = preflight(config, false);
    TrustedServers trusted = config.trustedServers();
    Path app = config.app();
    try {
      AtomicFiles.createDirectories(app.resolve("work"));
      AtomicFiles.createDirectories(app.resolve("files"));
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot create the application folder "
              + app
              + ": "
              + AtomicFiles.reason(e)
              + ". Choose a folder this user can write with: sepia-tentacle configure --instance "
              + instance
              + " --app FOLDER");
    }
    ScriptRunner scripts = new ScriptRunner(app.resolve("work"));
    FileStore files = new FileStore(app.resolve("files"));
    RpcServices services = TentacleRpcServices.create(scripts, files);
    TrustRejectionListener rejections =
        rejection -> log.warn("Refused a connection: {}", rejection.describe());

    log.info(
        "Sepia Tentacle {} (instance {}) starting; this Tentacle's thumbprint is {}",
        Version.current(),
        instance,
        identity.thumbprint());
    for (TrustedServer server : trusted.entries()) {
      log.info("Trusting server {}", server.describe());
    }

    ListeningServer listening = null;
    List<PollingClient> pollers = new ArrayList<>();
    try {
      if (!config.noListen()) {
        InetSocketAddress bind = bindAddress(config);
        SSLContext ssl =
            PinnedTls.context(
                identity,
                TrustedThumbprints.of(trusted.thumbprints()),
                PinnedTls.TENTACLE_ROLE,
                rejections);
        listening = new ListeningServer(bind, ssl, services);
        try {
          listening.start();
        } catch (IOException e) {
          throw portInUse(config, bind, e.getMessage());
        }
        log.info(
            "Listening on {}:{} for the trusted servers",
            bind.getAddress().getHostAddress(),
            listening.port());
      } else {
        log.info("Not listening (NoListen is true): this Tentacle only polls");
      }
      for (TrustedServer server : trusted.polling()) {
        PollingClient client =
            new PollingClient(
                server.address(),
                identity,
                TrustedThumbprints.of(Set.of(server.thumbprint())),
                services,
                POLLING_CONNECTIONS,
                rejections);
        client.start();
        pollers.add(client);
        log.info("Polling {} (server thumbprint {})", server.address(), server.thumbprint());
      }
    } catch (RuntimeException e) {
      pollers.forEach(PollingClient::close);
      if (listening != null) {
        listening.close();
      }
      scripts.close();
      throw e;
    }
    log.info("Sepia Tentacle (instance {}) is ready", instance);
    return new TentacleAgent(instance, identity.thumbprint(), scripts, listening, pollers);
  }

  /** The port this Tentacle listens on, or -1 if it only polls. */
  public int listeningPort() {
    return listening == null ? -1 : listening.port();
  }

  public String thumbprint() {
    return thumbprint;
  }

  /** Blocks until {@link #close()} runs (for example from a shutdown hook on SIGTERM). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops polling and listening, then stops any script still running. */
  @Override
  public synchronized void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    log.info("Sepia Tentacle (instance {}) is stopping", instanceName);
    for (PollingClient client : polling) {
      try {
        client.close();
      } catch (RuntimeException e) {
        log.warn("Stopping a polling connection failed: {}", e.getMessage());
      }
    }
    if (listening != null) {
      try {
        listening.close();
      } catch (RuntimeException e) {
        log.warn("Stopping the listener failed: {}", e.getMessage());
      }
    }
    scripts.close();
    log.info("Sepia Tentacle (instance {}) stopped", instanceName);
    stopped.countDown();
  }

  private static InetSocketAddress bindAddress(TentacleConfig config) {
    InetAddress address = TentacleConfig.parseIpAddress(config.listenIpAddress());
    return new InetSocketAddress(address, config.listenPort());
  }

  private static OperatorException portInUse(
      TentacleConfig config, InetSocketAddress bind, String reason) {
    return new OperatorException(
        "Cannot listen on port "
            + bind.getPort()
            + " of "
            + bind.getAddress().getHostAddress()
            + ": "
            + reason
            + ". Another program (or another Tentacle instance) probably uses that port. Choose"
            + " another with: sepia-tentacle configure --instance "
            + config.instanceName()
            + " --port PORT (and tell the server the new port), or --listenIpAddress to listen on"
            + " one address only.");
  }
}
