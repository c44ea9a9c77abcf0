package dev.sepia.tentacle.files;

import dev.sepia.comms.contract.DownloadFileCommand;
import dev.sepia.comms.contract.FileInfo;
import dev.sepia.comms.contract.UploadFileCommand;
import dev.sepia.platform.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Tentacle's end of file transfer: files live under one folder ({@code <app>/files/}), named by
 * relative paths. Uploads stream to a temporary file beside the target while the SHA-256 and length
 * are computed; only a file whose length and hash match what the caller announced is moved into
 * place (atomically), so a reader never sees a partial or wrong file. Memory use is one buffer,
 * whatever the file's size.
 */
public final class FileStore {
  private static final int BUFFER = 64 * 1024;
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

  private final Path root;

  public FileStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** A download's description and its bytes; the caller closes the stream. */
  public record Download(FileInfo info, InputStream body) {}

  /**
   * Stores {@code body} at {@code command.path()}, replacing any file there.
   *
   * @throws InvalidPath if the path leaves the files folder
   * @throws HashMismatch if the bytes differ from the announced length or SHA-256
   */
  public FileInfo upload(UploadFileCommand command, InputStream body)
      throws InvalidPath, HashMismatch, InvalidUpload, IOException {
    if (command == null) {
      throw new InvalidUpload("An upload needs a path, a length and a SHA-256.");
    }
    return upload(command.path(), command.length(), command.sha256(), body);
  }

  /**
   * As {@link #upload(UploadFileCommand, InputStream)}, from the raw values: the store checks them
   * itself rather than trusting whoever made them.
   */
  public FileInfo upload(String relative, long length, String sha256, InputStream body)
      throws InvalidPath, HashMismatch, InvalidUpload, IOException {
    if (length < 0) {
      throw new InvalidUpload("The upload's length is " + length + "; it cannot be negative.");
    }
    if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
      throw new InvalidUpload("The upload's sha256 must be 64 hexadecimal characters.");
    }
    String expectedHash = sha256.toLowerCase(Locale.ROOT);
    Path target = resolve(relative);
    if (Files.isDirectory(target)) {
      throw new InvalidPath(relative, "it is a folder.");
    }
    Path dir = target.getParent();
    try {
      AtomicFiles.createDirectories(dir);
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      throw new InvalidPath(relative, "a part of it is a file, not a folder.");
    }
    requireInside(dir, relative);
    Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".upload");
    MessageDigest digest = sha256();
    long count = 0;
    boolean kept = false;
    try (InputStream in = body == null ? InputStream.nullInputStream() : body;
        OutputStream out =
            Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) != -1) {
        count += n;
        if (count > length) {
          throw new HashMismatch(
              "The upload of '"
                  + relative
                  + "' sent more than the announced "
                  + length
                  + " bytes; nothing was kept.");
        }
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
      out.flush();
      if (count != length) {
        throw new HashMismatch(
            "The upload of '"
                + relative
                + "' ended after "
                + count
                + " of the announced "
                + length
                + " bytes; nothing was kept.");
      }
      String actualHash = HexFormat.of().formatHex(digest.digest());
      if (!actualHash.equals(expectedHash)) {
        throw new HashMismatch(
            "The upload of '"
                + relative
                + "' has SHA-256 "
                + actualHash
                + ", not the announced "
                + expectedHash
                + "; nothing was kept.");
      }
      kept = true;
    } finally {
      if (!kept) {
        Files.deleteIfExists(temp);
      }
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    return new FileInfo(display(target), count, expectedHash);
  }

  /**
   * Opens the file at {@code command.path()}: its length and SHA-256 first (one read), then a
   * stream of its bytes for the caller to check against them.
   */
  public Download download(DownloadFileCommand command)
      throws InvalidPath, FileNotFound, IOException {
    return download(command == null ? null : command.path());
  }

  /** As {@link #download(DownloadFileCommand)}, from the raw path. */
  public Download download(String relative) throws InvalidPath, FileNotFound, IOException {
    Path target = resolve(relative);
    if (!Files.exists(target)) {
      throw new FileNotFound(relative);
    }
    if (Files.isDirectory(target)) {
      throw new InvalidPath(relative, "it is a folder, not a file.");
    }
    requireInside(target, relative);
    MessageDigest digest = sha256();
    long length = 0;
    try (InputStream in = Files.newInputStream(target)) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) != -1) {
        digest.update(buffer, 0, n);
        length += n;
      }
    }
    FileInfo info =
        new FileInfo(display(target), length, HexFormat.of().formatHex(digest.digest()));
    return new Download(info, Files.newInputStream(target));
  }

  /**
   * The file a relative path names, refusing anything that could leave the files folder: absolute
   * paths, drive letters, {@code ..} segments, NUL characters.
   */
  public Path resolve(String relative) throws InvalidPath {
    if (relative == null || relative.isBlank()) {
      throw new InvalidPath(String.valueOf(relative), "a file path is needed.");
    }
    if (relative.indexOf('\0') >= 0) {
      throw new InvalidPath(relative.replace('\0', '?'), "it contains a NUL character.");
    }
    if (relative.startsWith("/")
        || relative.startsWith("\\")
        || DRIVE.matcher(relative).matches()) {
      throw new InvalidPath(
          relative, "it is absolute; give a path relative to the Tentacle's files folder.");
    }
    for (String segment : relative.split("[/\\\\]")) {
      if (segment.equals("..")) {
        throw new InvalidPath(relative, "it contains '..'; paths cannot leave the files folder.");
      }
    }
    Path target = root.resolve(relative.replace('\\', '/')).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new InvalidPath(relative, "it does not name a file inside the files folder.");
    }
    return target;
  }

  // A symbolic link inside the folder must not lead outside it.
  private void requireInside(Path existing, String relative) throws InvalidPath, IOException {
    Files.createDirectories(root);
    Path realRoot = root.toRealPath();
    if (!existing.toRealPath().startsWith(realRoot)) {
      throw new InvalidPath(relative, "it leads outside the files folder through a link.");
    }
  }

  private String display(Path target) {
    return root.relativize(target).toString().replace('\\', '/');
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
