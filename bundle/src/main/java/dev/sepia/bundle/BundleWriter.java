package dev.sepia.bundle;

import dev.sepia.crypto.PassphraseBox;
import dev.sepia.crypto.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Writes an offline bundle: a folder an operator copies to a machine without a Tentacle and runs
 * there with {@code deploy.sh}. Sensitive values go only into {@code sensitive.sealed}, sealed with
 * the target's bundle password; the layout is described in the {@code README.txt} written with it.
 */
public final class BundleWriter {

  static final String MANIFEST = "bundle.json";
  static final String SEALED = "sensitive.sealed";
  static final String SCRIPT = "deploy.sh";
  static final String README = "README.txt";
  static final String LIB = "lib";

  private static final int MAX_FOLDER_NAME = 100;
  private static final int MAX_SAME_NAME = 1000;

  private BundleWriter() {}

  /**
   * Writes the bundle into a new sub-folder of {@code destination} named after project, release and
   * environment (made safe as a file name, with {@code -2}, {@code -3}… if taken) and returns it.
   * The password is used only to seal the sensitive values. On failure nothing is left behind.
   *
   * @throws IOException if {@code destination} is not an existing folder or cannot be written
   * @throws IllegalArgumentException if the password is empty
   */
  public static Path write(Path destination, BundleContent content, Secret password)
      throws IOException {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(password, "password");
    if (!Files.isDirectory(destination)) {
      throw new NoSuchFileException(
          destination.toString(),
          null,
          "The offline drop folder does not exist or is not a folder; create it, or correct the"
              + " target's drop folder path");
    }
    byte[] sealed = seal(content, password);
    Path folder = claimFolder(destination, folderName(content));
    try {
      writeInto(folder, content, sealed);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(folder, e);
      throw e;
    }
    return folder;
  }

  private static byte[] seal(BundleContent content, Secret password) {
    char[] chars = password.chars();
    try {
      if (chars.length == 0) {
        throw new IllegalArgumentException(
            "The target's bundle password is empty; set a password on the offline drop target");
      }
      return PassphraseBox.seal(
          chars, BundleFormat.sensitive(content).getBytes(StandardCharsets.UTF_8));
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  private static void writeInto(Path folder, BundleContent content, byte[] sealed)
      throws IOException {
    Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Files.writeString(folder.resolve(MANIFEST), BundleFormat.manifest(content, created));
    Files.write(folder.resolve(SEALED), sealed);
    Path lib = Files.createDirectory(folder.resolve(LIB));
    List<String> jars = RuntimeJars.writeInto(lib);
    Path script = folder.resolve(SCRIPT);
    Files.writeString(script, resource(SCRIPT));
    makeExecutable(script);
    Files.writeString(folder.resolve(README), readme(content, created, jars));
  }

  /** A folder name from project, release and environment: letters, digits, '.', '_' and '-'. */
  static String folderName(BundleContent content) {
    String raw =
        content.projectName() + "-" + content.releaseNumber() + "-" + content.environmentName();
    String safe =
        raw.replaceAll("[^A-Za-z0-9._-]+", "_")
            .replaceAll("_*-_*", "-")
            .replaceAll("^[._-]+", "")
            .replaceAll("[._-]+$", "");
    if (safe.length() > MAX_FOLDER_NAME) {
      safe = safe.substring(0, MAX_FOLDER_NAME);
    }
    return safe.isEmpty() ? "bundle" : safe;
  }

  private static Path claimFolder(Path destination, String name) throws IOException {
    for (int attempt = 1; attempt <= MAX_SAME_NAME; attempt++) {
      Path candidate = destination.resolve(attempt == 1 ? name : name + "-" + attempt);
      try {
        return Files.createDirectory(candidate);
      } catch (FileAlreadyExistsException taken) {
        // Try the next suffix; creating the folder is what claims a name, so two writers never
        // share one.
      }
    }
    throw new IOException(
        "There are already "
            + MAX_SAME_NAME
            + " bundles named "
            + name
            + " in "
            + destination
            + "; move old ones away");
  }

  private static void makeExecutable(Path script) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(script, PosixFileAttributeView.class);
    if (posix != null) {
      posix.setPermissions(PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static String readme(BundleContent content, Instant created, List<String> jars)
      throws IOException {
    StringBuilder steps = new StringBuilder();
    for (int i = 0; i < content.steps().size(); i++) {
      steps
          .append("  ")
          .append(i + 1)
          .append(". ")
          .append(content.steps().get(i).name())
          .append('\n');
    }
    StringBuilder lib = new StringBuilder();
    for (String jar : jars) {
      lib.append("    ").append(jar).append('\n');
    }
    return resource(README)
        .replace("{{project}}", content.projectName())
        .replace("{{release}}", content.releaseNumber())
        .replace("{{environment}}", content.environmentName())
        .replace("{{target}}", content.targetName())
        .replace("{{deployment}}", content.deploymentId())
        .replace("{{created}}", created.toString())
        .replace("{{steps}}", steps.toString().stripTrailing())
        .replace("{{jars}}", lib.toString());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = BundleWriter.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("The bundle template " + name + " is missing from sepia-bundle");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void deleteQuietly(Path folder, Exception cause) {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      cause.addSuppressed(e);
    }
  }
}
