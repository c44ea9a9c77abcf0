package dev.sepia.e2e.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How the tests launch the sepia-server JVM: the Java that runs the tests, the test class path
 * without the e2e module's own classes, and options that make a short-lived JVM cheap.
 *
 * <p>The suite starts well over a hundred JVMs, and on a small machine their start-up (class
 * loading, JIT compilation) is most of its run time. So the launches use the C1 compiler only, the
 * serial collector, and a class-data-sharing archive dumped once per test run from a warm-up {@code
 * database --create}. None of this changes what the program does; if the archive cannot be made,
 * the launches simply go without it.
 */
final class ServerJvm {
  static final String MAIN_CLASS = "dev.sepia.server.cli.ServerMain";

  private static ServerJvm instance;

  private final String java;
  private final String classPath;
  private final List<String> options;

  private ServerJvm(String java, String classPath, List<String> options) {
    this.java = java;
    this.classPath = classPath;
    this.options = options;
  }

  static synchronized ServerJvm get() {
    if (instance == null) {
      instance = prepare();
    }
    return instance;
  }

  /** {@code java OPTIONS -cp CLASSPATH ServerMain ARGS…} */
  List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(options);
    command.add("-cp");
    command.add(classPath);
    command.add(MAIN_CLASS);
    command.addAll(args);
    return command;
  }

  private static ServerJvm prepare() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new IllegalStateException("Cannot tell which java runs the tests"));
    Path dir;
    try {
      dir = Files.createTempDirectory("sepia-e2e-jvm-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
    List<String> entries = snapshotSepiaJars(serverClassPath(), dir.resolve("lib"));
    String classPath = String.join(File.pathSeparator, entries);
    // Unified logging off: a CDS warning on stdout would be mistaken for the program's output.
    List<String> cheap = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable");
    ServerJvm plain = new ServerJvm(java, classPath, cheap);
    if (!entries.stream().allMatch(entry -> Files.isRegularFile(Path.of(entry)))) {
      return plain; // CDS archives only jars.
    }
    try {
      Path archive = dir.resolve("sepia-server.jsa");
      Path config = dir.resolve("warmup").resolve("warmup.config.json");
      String url = "jdbc:h2:file:" + dir.resolve("warmup").resolve("db").resolve("sepia");
      warmUp(dir, plain, List.of(), "create-instance", "--instance", "W", "--config", "" + config);
      warmUp(
          dir,
          plain,
          List.of("-XX:ArchiveClassesAtExit=" + archive),
          "database",
          "--instance",
          "W",
          "--connectionString",
          url,
          "--create");
      if (!Files.isRegularFile(archive)) {
        return plain;
      }
      List<String> withArchive = new ArrayList<>(cheap);
      withArchive.add("-XX:SharedArchiveFile=" + archive);
      return new ServerJvm(java, classPath, List.copyOf(withArchive));
    } catch (IOException e) {
      return plain;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return plain;
    }
  }

  private static void warmUp(Path dir, ServerJvm jvm, List<String> extra, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(jvm.command(Arrays.asList(args)));
    command.addAll(1, extra);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().keySet().removeIf(name -> name.startsWith("SEPIA_"));
    builder.environment().put("SEPIA_MACHINE_DIR", dir.resolve("machine").toString());
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /**
   * The test class path minus the e2e module's own output folders: the server needs none of the
   * test classes, and class-data sharing refuses non-empty folders.
   */
  private static List<String> serverClassPath() {
    Path testClasses;
    try {
      testClasses =
          Path.of(ServerJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Path mainClasses = testClasses.resolveSibling("classes");
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.isEmpty())
        .filter(entry -> !Path.of(entry).equals(testClasses) && !Path.of(entry).equals(mainClasses))
        .toList();
  }

  /**
   * Copies Sepia's own jars aside, so that a {@code mvn install} run while the suite runs cannot
   * swap classes under the programs being tested.
   */
  private static List<String> snapshotSepiaJars(List<String> entries, Path lib) {
    List<String> result = new ArrayList<>();
    try {
      Files.createDirectories(lib);
      for (String entry : entries) {
        Path path = Path.of(entry);
        String name = path.getFileName().toString();
        if (Files.isRegularFile(path) && name.startsWith("sepia-") && name.endsWith(".jar")) {
          result.add(Files.copy(path, lib.resolve(name)).toString());
        } else {
          result.add(entry);
        }
      }
      return result;
    } catch (IOException e) {
      return entries;
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Only a temporary folder is left behind.
    }
  }
}
