package dev.sepia.e2e.tentacle;

import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real sepia-server on its own test "machine": an H2 database, an administrator's API key, web
 * and polling ports of its own on 127.0.0.1, installed and started as a (background process)
 * service, with the environments its Tentacles are registered in. Closing it stops the service.
 */
public final class ServerUnderTest implements AutoCloseable {
  private static final Pattern API_KEY = Pattern.compile("API-[A-Z0-9]+");

  private final TestInstance instance;
  private final int webPort;
  private final int commsPort;
  private final String apiKey;
  private final SepiaApi api;

  private ServerUnderTest(TestInstance instance, int webPort, int commsPort, String apiKey) {
    this.instance = instance;
    this.webPort = webPort;
    this.commsPort = commsPort;
    this.apiKey = apiKey;
    this.api = new SepiaApi(URI.create(url()), apiKey);
  }

  /** The environment Tentacles are registered in unless a test says otherwise. */
  public static final String DEFAULT_ENVIRONMENT = "Production";

  /**
   * Creates the instance and its database, an API key, starts it as a service, and creates the
   * environment {@value #DEFAULT_ENVIRONMENT} (a target can only be in environments that exist).
   */
  public static ServerUnderTest installAndStart(Path tmp, String name) {
    return installAndStart(tmp, name, DEFAULT_ENVIRONMENT);
  }

  /**
   * As above, with these environments, created in this order (which is also the order of the
   * default lifecycle's phases).
   */
  public static ServerUnderTest installAndStart(Path tmp, String name, String... environments) {
    SepiaServerCli machine = new SepiaServerCli(tmp.resolve(name + "-machine"), tmp);
    TestInstance instance =
        TestInstance.withNewDatabase(machine, tmp, name, Engine.H2.newDatabase(tmp));
    int web = Ports.free();
    int comms = Ports.free();
    instance
        .run(
            "configure",
            "--webListenPrefixes",
            "http://127.0.0.1:" + web,
            "--commsListenPort",
            Integer.toString(comms))
        .succeeded();
    CliResult admin = instance.run("admin", "--username", "tentacle-admin", "--apiKey").succeeded();
    Matcher key = API_KEY.matcher(admin.stdout());
    if (!key.find()) {
      throw new AssertionError("No API key in " + admin);
    }
    ServerUnderTest server = new ServerUnderTest(instance, web, comms, key.group());
    Leftovers.stopAtExit(server::close);
    try {
      instance.run("service", "--install", "--start").succeeded();
      for (String environment : environments) {
        server.api().createEnvironment(environment);
      }
    } catch (RuntimeException | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** {@code http://127.0.0.1:PORT}: what {@code register-with --server} is given. */
  public String url() {
    return "http://127.0.0.1:" + webPort;
  }

  /** The port polling Tentacles dial. */
  public int commsPort() {
    return commsPort;
  }

  public String apiKey() {
    return apiKey;
  }

  public SepiaApi api() {
    return api;
  }

  /** Runs {@code sepia-server COMMAND --instance NAME ARGS…}. */
  public CliResult run(String command, String... args) {
    return instance.run(command, args);
  }

  /** What the background service has logged so far. */
  public String log() {
    Path log = instance.home().resolve("service").resolve("logs").resolve("service.log");
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TestInstance instance() {
    return instance;
  }

  /** Stops the service (see {@link ServiceProcesses}); launches nothing. */
  @Override
  public void close() {
    ServiceProcesses.stop(instance.home().resolve("service"), "sepia-server-" + instance.name());
  }
}
