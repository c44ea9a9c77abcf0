package dev.sepia.bundle;

import dev.sepia.crypto.PassphraseBox;
import dev.sepia.variables.VariableDictionary;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

/**
 * Puts into a bundle's {@code lib/} the jars the runner needs — this module, variables, crypto and
 * Bouncy Castle's provider — found from where their classes were loaded. A jar is copied as it is
 * (Bouncy Castle's is signed and must stay intact); a folder of classes, as when running from a
 * build's {@code target/classes}, is packed into a jar.
 */
final class RuntimeJars {

  /** A jar to ship: a class that lives in it, and the name to give it when packed from a folder. */
  private record Needed(Class<?> member, String name) {}

  private static final List<Needed> NEEDED =
      List.of(
          new Needed(BundleRunner.class, "sepia-bundle"),
          new Needed(VariableDictionary.class, "sepia-variables"),
          new Needed(PassphraseBox.class, "sepia-crypto"),
          new Needed(Argon2BytesGenerator.class, "bcprov"));

  private RuntimeJars() {}

  /** Writes the needed jars into {@code lib}, which must exist; returns the file names written. */
  static List<String> writeInto(Path lib) throws IOException {
    // Several classes may come from one jar (a server packed as one jar): ship each source once.
    Map<Path, String> sources = new LinkedHashMap<>();
    for (Needed needed : NEEDED) {
      sources.putIfAbsent(locationOf(needed.member()), needed.name());
    }
    List<String> written = new ArrayList<>();
    for (Map.Entry<Path, String> source : sources.entrySet()) {
      Path from = source.getKey();
      Path to;
      if (Files.isDirectory(from)) {
        to = lib.resolve(source.getValue() + ".jar");
        packFolder(from, to);
      } else {
        to = lib.resolve(from.getFileName().toString());
        Files.copy(from, to);
      }
      written.add(to.getFileName().toString());
    }
    return List.copyOf(written);
  }

  private static Path locationOf(Class<?> member) throws IOException {
    CodeSource source = member.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      throw new IOException(
          "Cannot tell which jar holds "
              + member.getName()
              + ", so the bundle's lib/ cannot be written; run Sepia from its jars or classes"
              + " folders");
    }
    try {
      Path path = Path.of(source.getLocation().toURI());
      if (!Files.exists(path)) {
        throw new IOException(
            member.getName() + " was loaded from " + path + ", which no longer exists");
      }
      return path;
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException(
          member.getName() + " was loaded from " + source.getLocation() + ", which is not a file",
          e);
    }
  }

  private static void packFolder(Path folder, Path jar) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream out = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      Set<String> directories = new HashSet<>();
      for (Path file : files) {
        String name =
            folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        // Parent folder entries first, as jar tools write them.
        int slash = name.indexOf('/');
        while (slash >= 0) {
          String directory = name.substring(0, slash + 1);
          if (directories.add(directory)) {
            zip.putNextEntry(new ZipEntry(directory));
            zip.closeEntry();
          }
          slash = name.indexOf('/', slash + 1);
        }
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
  }
}
