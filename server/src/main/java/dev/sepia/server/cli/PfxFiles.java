package dev.sepia.server.cli;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

/** Reading and writing PKCS#12 (PFX) files for the certificate commands. */
final class PfxFiles {
  private PfxFiles() {}

  static void requirePassword(String password, String flag) {
    if (password == null || password.isEmpty()) {
      throw new OperatorException(
          flag + " needs --pfx-password: a PFX file holds a private key and must be protected.", 2);
    }
  }

  /** Writes a new file readable only by its owner; never overwrites. */
  static void write(Path file, CertificateWithKey certificate, String password) {
    byte[] pfx = Certificates.toPkcs12(certificate, password.toCharArray(), "sepia-server");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(file, pfx, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new OperatorException(
          "The file " + file + " already exists. Choose another --export-pfx path.");
    } catch (IOException e) {
      throw new OperatorException("Cannot write " + file + ": " + e.getMessage());
    }
  }

  static CertificateWithKey read(Path file, String password) {
    byte[] data;
    if (!Files.isRegularFile(file)) {
      throw new OperatorException("The file " + file + " does not exist. Nothing was changed.");
    }
    try {
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new OperatorException("Cannot read " + file + ": " + e.getMessage());
    }
    try {
      return Certificates.fromPkcs12(data, password.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new OperatorException(file + ": " + e.getMessage() + " Nothing was changed.");
    }
  }
}
