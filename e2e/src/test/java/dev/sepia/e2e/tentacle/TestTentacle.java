package dev.sepia.e2e.tentacle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Tentacle instance on one test "machine", with its config file and home in a temporary folder.
 * Commands run through it carry {@code --instance NAME}.
 */
public final class TestTentacle {
  private static final Pattern GENERATED =
      Pattern.compile("generated with thumbprint: ([0-9A-F]{64})");
  private static final Pattern SHOWN =
      Pattern.compile("thumbprint of this Tentacle is: ([0-9A-F]{64})");
  private static final Duration AGENT_START = Duration.ofSeconds(60);

  private final SepiaTentacleCli cli;
  private final String name;
  private final Path configFile;
  private final Path home;

  private TestTentacle(SepiaTentacleCli cli, String name, Path configFile, Path home) {
    this.cli = cli;
    this.name = name;
    this.configFile = configFile;
    this.home = home;
  }

  /** Runs {@code create-instance} for a new instance whose files live in {@code parent/name}. */
  public static TestTentacle create(SepiaTentacleCli cli, Path parent, String name) {
    Path home = parent.resolve(name);
    Path config = home.resolve(name + ".config.json");
    cli.run("create-instance", "--instance", name, "--config", config.toString()).succeeded();
    TestTentacle tentacle = new TestTentacle(cli, name, config, home);
    Leftovers.stopAtExit(tentacle::killServiceIfRunning);
    return tentacle;
  }

  /** Runs {@code sepia-tentacle COMMAND --instance NAME ARGS…}. */
  public TentacleResult run(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command, "--instance", name));
    all.addAll(List.of(args));
    return cli.run(all.toArray(String[]::new));
  }

  /** Runs {@code new-certificate} and returns the new thumbprint it prints. */
  public String newCertificate() {
    return only(GENERATED, run("new-certificate").succeeded());
  }

  /**
   * Runs {@code import-certificate} with one of the pre-made identities and returns its thumbprint.
   */
  public String importCertificate(TentacleIdentities.Pfx pfx) {
    TentacleResult imported =
        run(
                "import-certificate",
                "--from-file",
                pfx.file().toString(),
                "--pfx-password",
                pfx.password())
            .succeeded();
    if (!imported.stdout().contains("new thumbprint = " + pfx.thumbprint())) {
      throw new AssertionError("Not the certificate in " + pfx.file() + ": " + imported);
    }
    return pfx.thumbprint();
  }

  /** The thumbprint as {@code show-thumbprint} prints it. */
  public String thumbprint() {
    return only(SHOWN, run("show-thumbprint").succeeded());
  }

  /** Starts {@code agent} in the foreground with these JVM options, and waits until it is ready. */
  public ForegroundTentacle startAgent(String... jvmOptions) {
    ForegroundTentacle agent = cli.start(List.of(jvmOptions), "agent", "--instance", name);
    try {
      return agent.awaitLog("(instance " + name + ") is ready", AGENT_START);
    } catch (RuntimeException | AssertionError e) {
      agent.close();
      throw e;
    }
  }

  /** The config file's bytes, for before/after comparisons. */
  public byte[] configBytes() {
    try {
      return Files.readAllBytes(configFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the background service has logged so far (empty if it never ran). */
  public String serviceLog() {
    Path log = home.resolve("service").resolve("logs").resolve("service.log");
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where uploaded files are kept (the default application folder's {@code files/}). */
  public Path filesFolder() {
    return home.resolve("app").resolve("files");
  }

  /** Where script workspaces are kept, one folder per ticket. */
  public Path workFolder() {
    return home.resolve("app").resolve("work");
  }

  /**
   * Last-resort cleanup: stops the background service of this instance, and what it started, if its
   * pid file names a live Tentacle service process. Launches nothing.
   */
  public void killServiceIfRunning() {
    ServiceProcesses.stop(home.resolve("service"), "sepia-tentacle-" + name);
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

  public SepiaTentacleCli cli() {
    return cli;
  }

  private static String only(Pattern pattern, TentacleResult result) {
    Matcher m = pattern.matcher(result.stdout());
    if (!m.find()) {
      throw new AssertionError("No thumbprint in the output of " + result);
    }
    return m.group(1);
  }
}
