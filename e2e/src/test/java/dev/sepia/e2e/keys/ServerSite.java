package dev.sepia.e2e.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestInstance;
import dev.sepia.e2e.tentacle.Cleanup;
import dev.sepia.e2e.tentacle.SepiaApi;
import dev.sepia.e2e.tentacle.SepiaTentacleCli;
import dev.sepia.e2e.tentacle.ServiceProcesses;
import dev.sepia.e2e.tentacle.TestTentacle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Sepia server address (web and comms ports) served by one or more "machines" in turn, each
 * with its own {@code SEPIA_MACHINE_DIR} and an instance of the same name, and the Tentacles that
 * know the server by that address. Stops everything it started, by pid file, when closed.
 */
public final class ServerSite implements AutoCloseable {
  private static final Pattern API_KEY = Pattern.compile("API-[A-Z0-9]+");

  private final Path tmp;
  private final String name;
  private final Map<String, String> environment;
  private final int webPort;
  private final int commsPort;
  private final List<TestInstance> machines = new CopyOnWriteArrayList<>();
  private final List<TestTentacle> tentacles = new CopyOnWriteArrayList<>();
  private String apiKey;
  private SepiaApi api;

  /**
   * @param environment variables every sepia-server run on every machine of the site sees
   */
  public ServerSite(Path tmp, String name, Map<String, String> environment) {
    this.tmp = tmp;
    this.name = name;
    this.environment = Map.copyOf(environment);
    int web = TestInstance.freePort();
    int comms = TestInstance.freePort();
    while (comms == web) {
      comms = TestInstance.freePort();
    }
    this.webPort = web;
    this.commsPort = comms;
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopServers));
  }

  /**
   * A new machine with a new instance of the site's name (no database yet), listening at the site's
   * address and ports with {@code label} as its node name.
   */
  public TestInstance newMachine(String label) {
    SepiaServerCli cli = new SepiaServerCli(tmp.resolve(label + "-machine"), tmp, environment);
    TestInstance instance;
    try {
      instance = TestInstance.create(cli, Files.createDirectories(tmp.resolve(label)), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    machines.add(instance);
    instance
        .run(
            "configure",
            "--webListenPrefixes",
            url(""),
            "--commsListenPort",
            Integer.toString(commsPort),
            "--serverNodeName",
            label)
        .succeeded();
    return instance;
  }

  /**
   * Adds the first administrator with an API key, then installs and starts the service; the site's
   * {@link #api()} uses that key from then on (it comes back with any restored database).
   */
  public SepiaApi adminAndStart(TestInstance instance) {
    CliResult admin =
        instance
            .run("admin", "--username", "operator", "--password", "operator-pa55", "--apiKey")
            .succeeded();
    Matcher key = API_KEY.matcher(admin.stdout());
    assertThat(key.find()).as("an API key in %s", admin).isTrue();
    apiKey = key.group();
    start(instance);
    api = new SepiaApi(URI.create(url("")), apiKey);
    return api;
  }

  /** {@code service --install --start}: returns once the server answers. */
  public void start(TestInstance instance) {
    instance.run("service", "--install", "--start").succeeded();
  }

  /** {@code service --stop}. */
  public void stop(TestInstance instance) {
    instance.run("service", "--stop").succeeded();
  }

  public SepiaApi api() {
    if (api == null) {
      throw new IllegalStateException("Call adminAndStart first");
    }
    return api;
  }

  /**
   * A listening Tentacle on a machine of its own, trusting the server's current thumbprint,
   * registered as {@code target} in Production with role web, running as a service.
   */
  public TestTentacle listeningTentacle(String target) {
    TestTentacle tentacle = newTentacle(target);
    int port = TestInstance.freePort();
    tentacle
        .run(
            "configure",
            "--port",
            Integer.toString(port),
            "--listenIpAddress",
            "127.0.0.1",
            "--trust=" + api().serverThumbprint())
        .succeeded();
    register(
        tentacle,
        target,
        "--comms-style",
        "TentaclePassive",
        "--publicHostName",
        "127.0.0.1",
        "--tentacle-comms-port",
        Integer.toString(port));
    tentacle.run("service", "--install", "--start").succeeded();
    return tentacle;
  }

  /** As {@link #listeningTentacle}, but polling the server's comms port. */
  public TestTentacle pollingTentacle(String target) {
    TestTentacle tentacle = newTentacle(target);
    tentacle
        .run("configure", "--noListen", "true", "--trust=" + api().serverThumbprint())
        .succeeded();
    register(
        tentacle,
        target,
        "--comms-style",
        "TentacleActive",
        "--server-comms-port",
        Integer.toString(commsPort));
    tentacle.run("service", "--install", "--start").succeeded();
    return tentacle;
  }

  private TestTentacle newTentacle(String target) {
    TestTentacle tentacle =
        TestTentacle.create(
            new SepiaTentacleCli(tmp.resolve(target + "-machine"), tmp),
            tmp,
            name + Character.toUpperCase(target.charAt(0)) + target.substring(1));
    tentacles.add(tentacle);
    tentacle.newCertificate();
    return tentacle;
  }

  private void register(TestTentacle tentacle, String target, String... how) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server",
                url(""),
                "--apiKey",
                apiKey,
                "--name",
                target,
                "--environment",
                "Production",
                "--role",
                "web"));
    args.addAll(List.of(how));
    tentacle.run("register-with", args.toArray(String[]::new)).succeeded();
  }

  /** Every service log of the site's servers and Tentacles so far. */
  public List<String> serviceLogs() {
    List<String> logs = new ArrayList<>();
    for (TestInstance machine : machines) {
      Path log = machine.home().resolve("service/logs/service.log");
      try {
        if (Files.exists(log)) {
          logs.add(Files.readString(log));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    tentacles.forEach(t -> logs.add(t.serviceLog()));
    return logs;
  }

  public String url(String path) {
    return "http://127.0.0.1:" + webPort + path;
  }

  public String name() {
    return name;
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>();
    tentacles.forEach(t -> all.add(t::killServiceIfRunning));
    all.add(this::stopServers);
    Cleanup.closeAll(all.toArray(AutoCloseable[]::new));
  }

  /** Stops the services of the site's machines, found by their pid files; launches nothing. */
  private void stopServers() {
    for (TestInstance machine : machines) {
      ServiceProcesses.stop(machine.home().resolve("service"), "sepia-server-" + name);
    }
  }
}
