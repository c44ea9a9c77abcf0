package dev.sepia.server.startup;

import ch.qos.logback.classic.LoggerContext;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.backup.BackupSummary;
import dev.sepia.server.backup.BackupWriter;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.comms.ServerComms;
import dev.sepia.server.engine.backups.BackupMaker;
import dev.sepia.server.engine.backups.BackupScheduler;
import dev.sepia.server.engine.backups.BackupTask;
import dev.sepia.server.engine.deployments.DeploymentQueue;
import dev.sepia.server.engine.deployments.DeploymentTask;
import dev.sepia.server.engine.health.HealthCheckTask;
import dev.sepia.server.engine.health.HealthChecks;
import dev.sepia.server.engine.health.TargetHealthChecker;
import dev.sepia.server.engine.ssh.SshTargetConnections;
import dev.sepia.server.engine.ssh.SshTargets;
import dev.sepia.server.engine.tasks.TaskEngine;
import dev.sepia.server.engine.tasks.TaskStore;
import dev.sepia.server.escrow.MasterKeyEscrow;
import dev.sepia.server.model.machines.MachineStore;
import dev.sepia.server.rotation.KeyRotations;
import dev.sepia.server.rotation.NodeKeyWatcher;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.ServerNodes;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.ServerInfo;
import dev.sepia.server.web.WebServer;
import dev.sepia.server.web.api.AccountsApi;
import dev.sepia.server.web.api.BackupsApi;
import dev.sepia.server.web.api.CertificatesApi;
import dev.sepia.server.web.api.ConfigurationApi;
import dev.sepia.server.web.api.DeploymentsApi;
import dev.sepia.server.web.api.EnvironmentsApi;
import dev.sepia.server.web.api.EventsApi;
import dev.sepia.server.web.api.LibraryVariableSetsApi;
import dev.sepia.server.web.api.LifecyclesApi;
import dev.sepia.server.web.api.MachinesApi;
import dev.sepia.server.web.api.OpenApiDocument;
import dev.sepia.server.web.api.ProjectsApi;
import dev.sepia.server.web.api.RecoveryApi;
import dev.sepia.server.web.api.ReleasesApi;
import dev.sepia.server.web.api.TasksApi;
import dev.sepia.server.web.api.UsersApi;
import dev.sepia.server.web.ui.AccountPages;
import dev.sepia.server.web.ui.BackupsPage;
import dev.sepia.server.web.ui.CertificatePages;
import dev.sepia.server.web.ui.ConfigurationPages;
import dev.sepia.server.web.ui.DashboardPage;
import dev.sepia.server.web.ui.EnvironmentPages;
import dev.sepia.server.web.ui.InfrastructurePages;
import dev.sepia.server.web.ui.LibrarySetPages;
import dev.sepia.server.web.ui.LifecyclePages;
import dev.sepia.server.web.ui.Pages;
import dev.sepia.server.web.ui.ProcessPage;
import dev.sepia.server.web.ui.ProjectPages;
import dev.sepia.server.web.ui.RecoveryPage;
import dev.sepia.server.web.ui.ReleasePages;
import dev.sepia.server.web.ui.SignInPage;
import dev.sepia.server.web.ui.TargetPages;
import dev.sepia.server.web.ui.TaskPages;
import dev.sepia.server.web.ui.VariablesPage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running server: verified instance, web listener, node heartbeat. Stops on close. */
public final class ServerRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerRuntime.class);

  static final int MAX_CONCURRENT_TASKS = 5;
  static final Duration SSH_CONNECT_TIMEOUT = Duration.ofSeconds(15);

  private final OpenInstance instance;
  private final WebServer web;
  private final ServerComms comms;
  private final TaskEngine engine;
  private final HealthChecks healthChecks;
  private final BackupScheduler backups;
  private final ServerNodes nodes;
  private final ScheduledExecutorService heartbeat;
  private final SshTargets ssh;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private ServerRuntime(
      OpenInstance instance,
      WebServer web,
      ServerComms comms,
      TaskEngine engine,
      HealthChecks healthChecks,
      BackupScheduler backups,
      ServerNodes nodes,
      ScheduledExecutorService heartbeat,
      SshTargets ssh) {
    this.ssh = ssh;
    this.instance = instance;
    this.web = web;
    this.comms = comms;
    this.engine = engine;
    this.healthChecks = healthChecks;
    this.backups = backups;
    this.nodes = nodes;
    this.heartbeat = heartbeat;
  }

  private static ServerComms startComms(OpenInstance instance, CertificateWithKey certificate) {
    int port = instance.config().commsPort();
    MachineStore machines = new MachineStore(instance.jdbi());
    ServerComms comms =
        new ServerComms(certificate, new InetSocketAddress(port), machines::pollingThumbprints);
    try {
      comms.start();
    } catch (IOException | RuntimeException e) {
      comms.close();
      throw new OperatorException(
          "Cannot listen for polling Tentacles on port "
              + port
              + ": "
              + rootMessage(e)
              + ". Is another program using it? Change it with: sepia-server configure"
              + " --commsListenPort PORT");
    }
    return comms;
  }

  public int pollingPort() {
    return comms.pollingPort();
  }

  public String thumbprint() {
    return comms.thumbprint();
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
      ServerComms comms = startComms(instance, certificate);
      MachineStore machines = new MachineStore(instance.jdbi());
      Jdbi jdbi = instance.jdbi();
      Barrier barrier = instance.barrier();
      SshTargets ssh = new SshTargets(SSH_CONNECT_TIMEOUT);
      SshTargetConnections sshConnections = new SshTargetConnections(jdbi, barrier);
      AtomicReference<TaskEngine> engineHolder = new AtomicReference<>();
      Clock clock = Clock.systemUTC();
      ZoneId zone = ZoneId.systemDefault();
      DeploymentQueue deploymentQueue = new DeploymentQueue(jdbi, engineHolder::get);
      TaskEngine engine =
          new TaskEngine(
              new TaskStore(jdbi),
              Map.of(
                  HealthCheckTask.NAME,
                  new HealthCheckTask(
                      machines, new TargetHealthChecker(comms, ssh, sshConnections)),
                  DeploymentTask.NAME,
                  DeploymentTask.create(jdbi, barrier, deploymentQueue, comms, ssh, sshConnections),
                  BackupTask.NAME,
                  new BackupTask(
                      jdbi,
                      archiveWriter(instance, record.name()),
                      instance.config().home(),
                      record.name(),
                      clock)),
              instance.config().home(),
              node,
              MAX_CONCURRENT_TASKS);
      engineHolder.set(engine);
      HealthChecks healthChecks = new HealthChecks(new TaskStore(jdbi), engine);
      Pages pages = new Pages(jdbi, info);
      List<ApiModule> modules =
          List.of(
              new MachinesApi(jdbi, barrier, comms, healthChecks),
              new TasksApi(jdbi, engine, instance.config().home()),
              new EnvironmentsApi(jdbi),
              new LifecyclesApi(jdbi),
              new ProjectsApi(jdbi, barrier),
              new LibraryVariableSetsApi(jdbi, barrier),
              new AccountsApi(jdbi, barrier),
              new CertificatesApi(jdbi, barrier),
              new UsersApi(jdbi),
              new EventsApi(jdbi),
              new ReleasesApi(jdbi, barrier, deploymentQueue),
              new DeploymentsApi(jdbi, deploymentQueue),
              new ConfigurationApi(jdbi),
              new BackupsApi(jdbi, engine, instance.config().home(), zone, clock),
              new RecoveryApi(jdbi),
              new OpenApiDocument(),
              new SignInPage(pages),
              new DashboardPage(pages),
              new EnvironmentPages(pages),
              new ProjectPages(pages),
              new ProcessPage(pages),
              new VariablesPage(pages),
              new ReleasePages(pages),
              new LifecyclePages(pages),
              new LibrarySetPages(pages),
              new InfrastructurePages(pages, comms.pollingPort()),
              new TargetPages(pages),
              new AccountPages(pages),
              new CertificatePages(pages),
              new TaskPages(pages),
              new ConfigurationPages(pages),
              new BackupsPage(pages, instance.config().home(), zone, clock),
              new RecoveryPage(pages));
      WebServer web = new WebServer(listen, instance.jdbi(), info, modules);
      try {
        web.start();
      } catch (RuntimeException e) {
        comms.close();
        ssh.close();
        throw new OperatorException(
            "Cannot listen on "
                + listen
                + ": "
                + rootMessage(e)
                + ". Is another program using that port? Change it with: sepia-server configure"
                + " --webListenPrefixes http://localhost:PORT");
      }
      ServerNodes nodes = new ServerNodes(instance.jdbi());
      nodes.started(node, ServerNodes.hostName(), ProcessHandle.current().pid(), listen.toString());
      nodes.recordKeys(node, barrier.activeKeyId(), barrier.keyIds());
      NodeKeyWatcher keyWatcher =
          new NodeKeyWatcher(
              instance.config(),
              barrier,
              new DatabaseMetadata(jdbi),
              new KeyRotations(jdbi),
              nodes,
              node);
      engine.start();
      healthChecks.start();
      BackupScheduler backups = new BackupScheduler(jdbi, engine::wake, zone, clock);
      backups.start();
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
      new MasterKeyEscrow(jdbi).warnIfDue(record.name());
      long keyPeriod = NodeKeyWatcher.PERIOD.toMillis();
      heartbeat.scheduleWithFixedDelay(
          () -> {
            try {
              keyWatcher.check();
            } catch (RuntimeException e) {
              log.warn("Could not check for a master key rotation: {}", e.getMessage());
            }
          },
          keyPeriod,
          keyPeriod,
          TimeUnit.MILLISECONDS);
      log.info(
          "Sepia server {} (instance {}, node {}) is ready on {} — polling Tentacles on port {},"
              + " {} database, certificate thumbprint {}",
          info.version(),
          record.name(),
          node,
          listen,
          comms.pollingPort(),
          info.databaseKind().displayName(),
          certificate.thumbprint());
      return new ServerRuntime(
          instance, web, comms, engine, healthChecks, backups, nodes, heartbeat, ssh);
    } catch (RuntimeException e) {
      instance.close();
      throw e;
    }
  }

  /** Scheduled and "Back up now" backups: the archive, without the master key. */
  private static BackupMaker archiveWriter(OpenInstance instance, String instanceName) {
    return (file, actor) -> {
      BackupSummary written =
          new BackupWriter(
                  instance.database(),
                  instance.config().home(),
                  instanceName,
                  instance.barrier().keyring())
              .write(file, actor);
      return new BackupMaker.Written(
          written.file(),
          written.archiveBytes(),
          written.archiveSha256(),
          written.tableCount(),
          written.rowCount(),
          written.fileCount());
    };
  }

  public int webPort() {
    return web.port();
  }

  /** Every HTTP route the web server answers, as "METHOD /path". */
  public List<String> routes() {
    return web.routes();
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
    // First, while the database is surely open (an embedded H2 database closes itself on JVM
    // exit, concurrently with this hook). If it is already closed, ServerNodes.live() still
    // sees from the pid that this node has gone.
    try {
      nodes.stopped(instance.config().nodeName());
    } catch (RuntimeException e) {
      log.debug("Could not record that this node stopped: {}", e.getMessage());
    }
    web.close();
    healthChecks.close();
    backups.close();
    engine.close();
    ssh.close();
    comms.close();
    instance.close();
    stopped.countDown();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
