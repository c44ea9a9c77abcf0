package dev.sepia.e2e.tentacle;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command line of a sepia-tentacle JVM: the Java that runs the tests, and the Tentacle as its
 * module builds it, {@code tentacle/target/sepia-tentacle-*.jar} and its runtime libraries in
 * {@code tentacle/target/lib/} (what the repository's {@code ./sepia tentacle} runs, too).
 *
 * <p>Not the test class path: that one holds the server and its libraries, and a second logback.xml
 * there would make logback print its status to the programs' stdout. The Tentacle's files are
 * copied to a private folder on first use, so a rebuild elsewhere while the suite runs cannot
 * change the program under test half-way. Short commands run with C1 and the serial collector,
 * which only makes start-up cheaper; an agent runs with the JVM's defaults plus the options a test
 * asks for (such as a small heap).
 */
final class TentacleJvm {
  static final String MAIN_CLASS = "dev.sepia.tentacle.cli.TentacleMain";

  /** For commands that start, do one thing and exit. */
  static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static TentacleJvm shared;

  private final String java;
  private final String classPath;

  private TentacleJvm(String java, String classPath) {
    this.java = java;
    this.classPath = classPath;
  }

  static synchronized TentacleJvm get() {
    if (shared == null) {
      shared = build();
    }
    return shared;
  }

  /** {@code java JVM_OPTIONS -cp CLASS_PATH TentacleMain ARGS…} */
  List<String> command(List<String> jvmOptions, List<String> args) {
    List<String> line = new ArrayList<>();
    line.add(java);
    line.addAll(jvmOptions);
    line.addAll(List.of("-cp", classPath, MAIN_CLASS));
    line.addAll(args);
    return line;
  }

  private static TentacleJvm build() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new IllegalStateException("Cannot tell which java runs the tests"));
    Path target = repositoryRoot().resolve("tentacle").resolve("target");
    try {
      Path privateCopy = Files.createTempDirectory("sepia-e2e-tentacle-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> removeFolder(privateCopy)));
      List<String> classPath = new ArrayList<>();
      classPath.add(copy(tentacleJar(target), privateCopy).toString());
      for (Path library : jarsIn(target.resolve("lib"))) {
        classPath.add(copy(library, privateCopy).toString());
      }
      return new TentacleJvm(java, String.join(File.pathSeparator, classPath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The checkout: this class is in {@code e2e/target/test-classes}. */
  private static Path repositoryRoot() {
    try {
      Path testClasses =
          Path.of(TentacleJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return testClasses.toAbsolutePath().getParent().getParent().getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path tentacleJar(Path target) throws IOException {
    List<Path> jars =
        jarsIn(target).stream()
            .filter(jar -> jar.getFileName().toString().startsWith("sepia-tentacle-"))
            .toList();
    if (jars.size() != 1 || !Files.isDirectory(target.resolve("lib"))) {
      throw new IllegalStateException(
          "The Tentacle is not built in "
              + target
              + " (expected one sepia-tentacle jar and a lib/ folder, found "
              + jars
              + "). Build it first: mvn -pl tentacle -am install -DskipTests");
    }
    return jars.get(0);
  }

  private static List<Path> jarsIn(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
    }
  }

  private static Path copy(Path jar, Path folder) throws IOException {
    return Files.copy(jar, folder.resolve(jar.getFileName()));
  }

  private static void removeFolder(Path folder) {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A temporary folder is left behind; nothing else depends on it.
    }
  }
}
