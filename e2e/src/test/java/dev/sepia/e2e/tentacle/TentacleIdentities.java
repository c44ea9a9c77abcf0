package dev.sepia.e2e.tentacle;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A few Tentacle certificates, each generated once per test run and handed out as a PFX file for
 * {@code import-certificate}: generating an RSA key takes a cold JVM seconds, and most tests do not
 * care where a Tentacle's certificate came from. A test class gives each of its Tentacles a
 * different one; classes may reuse them, since each class has its own server.
 */
public final class TentacleIdentities {
  /** How many distinct identities there are. */
  public static final int COUNT = 3;

  private static final String PASSWORD = "e2e-pfx-password";
  private static final List<Pfx> identities = new ArrayList<>();
  private static Path folder;

  private TentacleIdentities() {}

  /**
   * A certificate in a PFX file.
   *
   * @param thumbprint what a server must hold for a Tentacle that imported it
   */
  public record Pfx(Path file, String password, String thumbprint) {}

  /** Identity number {@code index}, from 0 to {@link #COUNT} - 1. */
  public static synchronized Pfx get(int index) {
    if (index < 0 || index >= COUNT) {
      throw new IllegalArgumentException("There are " + COUNT + " identities, not " + index);
    }
    try {
      if (folder == null) {
        folder = Files.createTempDirectory("sepia-e2e-identities-");
        Path created = folder;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try (var files = Files.list(created)) {
                        for (Path file : files.toList()) {
                          Files.deleteIfExists(file);
                        }
                        Files.deleteIfExists(created);
                      } catch (IOException e) {
                        // A temporary folder is left behind.
                      }
                    }));
      }
      while (identities.size() <= index) {
        CertificateWithKey identity =
            Certificates.generateSelfSigned("Sepia Tentacle e2e " + identities.size());
        Path file = folder.resolve("tentacle-" + identities.size() + ".pfx");
        Files.write(
            file, Certificates.toPkcs12(identity, PASSWORD.toCharArray(), "sepia-tentacle"));
        identities.add(new Pfx(file, PASSWORD, identity.thumbprint()));
      }
      return identities.get(index);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
