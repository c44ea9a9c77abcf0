package dev.sepia.tentacle.cli;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.platform.AtomicFiles;
import dev.sepia.platform.cli.OperatorException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/** Reading and writing PKCS#12 (PFX) files for the certificate commands. */
final class PfxFiles {
  static final String ALIAS = "sepia-tentacle";

  private PfxFiles() {}

  static void requirePassword(String password, String flag) {
    if (password == null || password.isEmpty()) {
      throw new OperatorException(
          flag + " needs --pfx-password: a PFX file holds a private key and must be protected.", 2);
    }
  }

  /** Writes a new file readable only by its owner; never overwrites one. */
  static void write(Path file, CertificateWithKey certificate, String password) {
    char[] chars = password.toCharArray();
    byte[] pfx;
    try {
      pfx = Certificates.toPkcs12(certificate, chars, ALIAS);
    } finally {
      Arrays.fill(chars, '\0');
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.createFile(file, PosixFilePermissions.asFileAttribute(AtomicFiles.OWNER_ONLY_FILE));
      Files.write(file, pfx, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new OperatorException(
          "The file " + file + " already exists. Choose another --export-pfx path.");
    } catch (IOException e) {
      throw new OperatorException("Cannot write " + file + ": " + AtomicFiles.reason(e) + ".");
    }
  }

  static CertificateWithKey read(Path file, String password) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot read " + file + ": " + AtomicFiles.reason(e) + ". Nothing was changed.");
    }
    char[] chars = password.toCharArray();
    try {
      return Certificates.fromPkcs12(data, chars);
    } catch (GeneralSecurityException e) {
      throw new OperatorException(file + ": " + e.getMessage() + " Nothing was changed.");
    } finally {
      Arrays.fill(chars, '\0');
    }
  }
}
