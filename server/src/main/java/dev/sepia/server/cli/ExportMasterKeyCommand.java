package dev.sepia.server.cli;

import dev.sepia.crypto.MasterKeyExport;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.config.ServerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "export-master-key",
    description = {
      "Writes the master key to a new file, sealed with a passphrase (Argon2id + AES-256-GCM), so"
          + " that it can be kept away from this machine. The file's first line names the key id;"
          + " the key itself is only in the sealed part.",
      "The passphrase comes from --passphraseFile, --passphraseEnv or a prompt (asked twice)."
          + " Never overwrites a file; on POSIX systems the file is readable by its owner only.",
      "Read it back with: sepia-server set-master-key --masterKeyFile FILE (or database"
          + " --masterKeyFile FILE). Works even when the database is down."
    })
final class ExportMasterKeyCommand extends InstanceCommand {
  @Option(
      names = "--file",
      required = true,
      paramLabel = "FILE",
      description = "The new file to write; an existing file is never overwritten.")
  Path file;

  @Mixin PassphraseOptions passphrase;

  @Override
  public Integer call() {
    ServerConfig config = config();
    SymmetricKey key = masterKeyOf(config);
    refuseExisting();
    char[] secret =
        passphrase.read(environment().env(), "Passphrase for the exported key", true, true);
    byte[] sealed;
    try {
      sealed = MasterKeyExport.seal(key, secret);
    } finally {
      Arrays.fill(secret, '\0');
    }
    write(sealed);
    out()
        .println(
            "Exported master key "
                + key.keyId()
                + " to "
                + file
                + ", sealed with the passphrase. Keep the file and the passphrase in different"
                + " places, away from this machine.");
    out()
        .println(
            "To use it on a new machine: sepia-server database --instance <name>"
                + " --connectionString … --masterKeyFile "
                + file
                + " --passphraseFile <file>");
    out().flush();
    EscrowRecording.record(
        config,
        key,
        "exported to a passphrase-protected file (" + file.getFileName() + ") by export-master-key",
        err());
    return 0;
  }

  private void refuseExisting() {
    if (Files.exists(file)) {
      throw new OperatorException(
          file
              + " already exists, and an export never overwrites a file. Choose another name, or"
              + " move the old file away first. Nothing was changed.");
    }
  }

  private void write(byte[] sealed) {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Set<StandardOpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try (SeekableByteChannel channel =
            posix
                ? Files.newByteChannel(
                    file,
                    options,
                    PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")))
                : Files.newByteChannel(file, options);
        OutputStream stream = Channels.newOutputStream(channel)) {
      stream.write(sealed);
    } catch (FileAlreadyExistsException e) {
      refuseExisting();
    } catch (IOException e) {
      throw new OperatorException(
          "Cannot write "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + "). Nothing was changed.");
    }
  }
}
