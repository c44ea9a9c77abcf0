package dev.sepia.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that a reader sees either the old content or the new, never half of it: a crash
 * or a full disk during a write must not leave an instance without its config or registry.
 */
public final class AtomicFiles {

  /** rw------- : config files, registries and pid files may sit next to secrets. */
  public static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");

  /** rwx------ : folders we create for the machine key, registries and service state. */
  public static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private AtomicFiles() {}

  /** Writes {@code content} to {@code file} atomically with mode 0600, creating parent folders. */
  public static void writeOwnerOnly(Path file, byte[] content) throws IOException {
    write(file, content, OWNER_ONLY_FILE);
  }

  /**
   * Writes {@code content} to a temporary file in the same folder, forces it to disk, then renames
   * it over {@code file} (a rename within one folder is atomic on POSIX file systems).
   */
  public static void write(Path file, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    Path target = file.toAbsolutePath().normalize();
    Path dir = target.getParent();
    createDirectories(dir);
    Path temp =
        posix(dir)
            ? Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attribute(mode))
            : Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      // The mode given at creation is filtered by the umask; set it so it is exactly what was
      // asked for.
      if (posix(dir)) {
        Files.setPosixFilePermissions(temp, mode);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    forceDirectory(dir);
  }

  /** Creates {@code dir} and any missing parents; the folders it creates get mode 0700. */
  public static void createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      if (posix(parent == null ? absolute : parent)) {
        Files.createDirectory(absolute, attribute(OWNER_ONLY_DIR));
      } else {
        Files.createDirectory(absolute);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // Another process created it between our check and our create; fine if it is a folder.
      if (!Files.isDirectory(absolute)) {
        throw e;
      }
    }
  }

  /** Says why an I/O operation failed in words an operator reads quickly. */
  public static String reason(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "it already exists";
    }
    if (e instanceof java.nio.file.NotDirectoryException) {
      return "a part of the path is not a folder";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> mode) {
    return PosixFilePermissions.asFileAttribute(mode);
  }

  // Makes the rename itself durable. Best effort: not every file system lets a folder be opened.
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // The file content is already on disk; only the rename's durability is at stake.
    }
  }
}
