package dev.sepia.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server instance registered on one test "machine", with its config file and home in a temporary
 * folder. Commands run through it carry {@code --instance NAME}.
 */
public final class TestInstance {
  private static final Pattern THUMBPRINT = Pattern.compile("\\b[0-9A-F]{64}\\b");

  private final SepiaServerCli cli;
  private final String name;
  private final Path configFile;
  private final Path home;
  private int webPort;

  private TestInstance(SepiaServerCli cli, String name, Path configFile, Path home) {
    this.cli = cli;
    this.name = name;
    this.configFile = configFile;
    this.home = home;
  }

  /** Runs {@code create-instance} for a new instance whose files live in {@code parent/name}. */
  public static TestInstance create(SepiaServerCli cli, Path parent, String name) {
    Path home = parent.resolve(name);
    Path config = home.resolve(name + ".config.json");
    cli.run("create-instance", "--instance", name, "--config", config.toString()).succeeded();
    return new TestInstance(cli, name, config, home);
  }

  /** Creates an instance and builds a new Sepia database for it with {@code database --create}. */
  public static TestInstance withNewDatabase(
      SepiaServerCli cli, Path parent, String name, TestDatabase database) {
    TestInstance instance = create(cli, parent, name);
    instance.run("database", "--connectionString", database.url(), "--create").succeeded();
    return instance;
  }

  /** Runs {@code sepia-server COMMAND --instance NAME ARGS…}. */
  public CliResult run(String command, String... args) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.add("--instance");
    all.add(name);
    all.addAll(List.of(args));
    return cli.run(all.toArray(String[]::new));
  }

  /**
   * Points the web listener and the polling comms listener at free local ports, so servers can run
   * side by side.
   */
  public TestInstance listenOnFreePorts() {
    int port = freePort();
    int commsPort = freePort();
    while (commsPort == port) {
      commsPort = freePort();
    }
    run(
            "configure",
            "--webListenPrefixes",
            "http://127.0.0.1:" + port,
            "--commsListenPort",
            Integer.toString(commsPort))
        .succeeded();
    webPort = port;
    return this;
  }

  /** {@code http://127.0.0.1:PORT} + path; needs {@link #listenOnFreePorts()} first. */
  public URI url(String path) {
    if (webPort == 0) {
      throw new IllegalStateException("Call listenOnFreePorts() first");
    }
    return URI.create("http://127.0.0.1:" + webPort + path);
  }

  /**
   * Last-resort cleanup: kills the background service of this instance if its pid file names a live
   * sepia-server process, so that no server outlives its test. Launches nothing.
   */
  public void killServiceIfRunning() {
    Path pidFile = home.resolve("service").resolve("service.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      ProcessHandle.of(pid)
          .filter(
              // The service marker comes first on the command line; the main class may lie past
              // the 4096 characters the kernel shows of another process's arguments.
              p ->
                  p.info()
                      .commandLine()
                      .orElse("")
                      .contains("-Dsepia.service=sepia-server-" + name + " "))
          .ifPresent(
              p -> {
                p.destroyForcibly();
                p.onExit().join();
              });
    } catch (IOException | NumberFormatException e) {
      // No readable pid: nothing of ours to stop.
    }
  }

  /** The master key as {@code show-master-key} prints it. */
  public String masterKey() {
    return run("show-master-key").succeeded().out();
  }

  /** The thumbprint as {@code show-thumbprint} prints it. */
  public String thumbprint() {
    return onlyThumbprintIn(run("show-thumbprint").succeeded().stdout());
  }

  /**
   * The config file exactly as it is on disk, for before/after comparisons (decoded strictly, so
   * equal texts mean equal bytes).
   */
  public String configFileContent() {
    try {
      return Files.readString(configFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public Path configFile() {
    return configFile;
  }

  public Path home() {
    return home;
  }

  public SepiaServerCli cli() {
    return cli;
  }

  /** The single upper-case hex SHA-256 thumbprint in a text; fails if there is not exactly one. */
  public static String onlyThumbprintIn(String text) {
    List<String> found = thumbprintsIn(text);
    if (found.size() != 1) {
      throw new AssertionError("Expected one thumbprint in:\n" + text + "\nfound " + found);
    }
    return found.get(0);
  }

  /** Every upper-case hex SHA-256 thumbprint in a text, in order. */
  public static List<String> thumbprintsIn(String text) {
    List<String> found = new ArrayList<>();
    Matcher m = THUMBPRINT.matcher(text);
    while (m.find()) {
      found.add(m.group());
    }
    return found;
  }

  /** A TCP port nobody listens on right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
