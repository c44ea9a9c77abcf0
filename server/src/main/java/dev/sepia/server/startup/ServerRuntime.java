package dev.sepia.server.startup;

import ch.qos.logback.classic.LoggerContext;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.store.ServerNodes;
import dev.sepia.server.web.ServerInfo;
import dev.sepia.server.web.WebServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running server: verified instance, web listener, node heartbeat. Stops on close. */
public final class ServerRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerRuntime.class);

  private final OpenInstance instance;
  private final WebServer web;
  private final ServerNodes nodes;
  private final ScheduledExecutorService heartbeat;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private ServerRuntime(
      OpenInstance instance, WebServer web, ServerNodes nodes, ScheduledExecutorService heartbeat) {
    this.instance = instance;
    this.web = web;
    this.nodes = nodes;
    this.heartbeat = heartbeat;
  }

  /** Verifies everything before writing anything, then serves. */
  public static ServerRuntime start(ServerEnvironment environment, InstanceRecord record) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.putProperty("instance", record.name());
    }
    OpenInstance instance = OpenInstance.open(environment, record);
    try {
      CertificateWithKey certificate =
          new ServerCertificateStore(instance.jdbi()).load(instance.barrier());
      URI listen = ListenPrefix.parse(instance.config().listenPrefix());
      String node = instance.config().nodeName();
      ServerInfo info =
          new ServerInfo(
              Version.current(),
              record.name(),
              node,
              certificate.thumbprint(),
              instance.database().kind());
      WebServer web = new WebServer(listen, instance.jdbi(), info);
      try {
        web.start();
      } catch (RuntimeException e) {
        throw new OperatorException(
            "Cannot listen on "
                + listen
                + ": "
                + rootMessage(e)
                + ". Is another program using that port? Change it with: sepia-server configure"
                + " --webListenPrefixes http://localhost:PORT");
      }
      ServerNodes nodes = new ServerNodes(instance.jdbi());
      nodes.started(node, hostName(), ProcessHandle.current().pid(), listen.toString());
      ScheduledExecutorService heartbeat =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "sepia-node-heartbeat");
                t.setDaemon(true);
                return t;
              });
      long period = ServerNodes.HEARTBEAT.toSeconds();
      heartbeat.scheduleAtFixedRate(
          () -> {
            try {
              nodes.heartbeat(node);
            } catch (RuntimeException e) {
              log.warn("Could not record this node's heartbeat: {}", e.getMessage());
            }
          },
          period,
          period,
          TimeUnit.SECONDS);
      log.info(
          "Sepia server {} (instance {}, node {}) is ready on {} — {} database, certificate"
              + " thumbprint {}",
          info.version(),
          record.name(),
          node,
          listen,
          info.databaseKind().displayName(),
          certificate.thumbprint());
      return new ServerRuntime(instance, web, nodes, heartbeat);
    } catch (RuntimeException e) {
      instance.close();
      throw e;
    }
  }

  public int webPort() {
    return web.port();
  }

  /** Blocks until {@link #close()} runs (for example from a shutdown hook on SIGTERM). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    log.info("Sepia server instance {} is stopping", instance.instanceName());
    heartbeat.shutdownNow();
    web.close();
    try {
      nodes.stopped(instance.config().nodeName());
    } catch (RuntimeException e) {
      log.warn("Could not record that this node stopped: {}", e.getMessage());
    }
    instance.close();
    stopped.countDown();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
