package dev.sepia.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The per-machine key, kept in {@code <machineDir>/machine.key} (base64 and a newline, readable
 * only by its owner). It protects secrets in config files on this machine — above all the master
 * key — so a config file copied to another machine cannot be opened there, and says why.
 *
 * <p>Hazard: losing this file loses everything it protects. It is created once and never rewritten;
 * concurrent first starts agree on one key because the file is published atomically.
 */
public final class MachineKey {

  static final String FILE_NAME = "machine.key";
  static final String PREFIX = "sepia-machine:v1:";
  private static final String AAD_DOMAIN = "sepia-machine-v1\0";
  private static final int KEY_ID_LENGTH = 8;
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");

  private final SymmetricKey key;
  private final Path file;

  private MachineKey(SymmetricKey key, Path file) {
    this.key = key;
    this.file = file;
  }

  /**
   * Loads this machine's key, creating the directory (0700) and the key file (0600) on first use.
   * If several processes race, all of them end up with the key that was published first.
   */
  public static MachineKey loadOrCreate(Path machineDir) throws IOException {
    Optional<MachineKey> existing = load(machineDir);
    if (existing.isPresent()) {
      return existing.get();
    }
    boolean posix = isPosix(machineDir);
    if (!Files.isDirectory(machineDir)) {
      if (posix) {
        Files.createDirectories(machineDir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
      } else {
        Files.createDirectories(machineDir);
      }
    }
    publishNewKey(machineDir, posix);
    return load(machineDir)
        .orElseThrow(
            () -> new IOException("The machine key file " + keyFile(machineDir) + " vanished"));
  }

  /** This machine's key, or empty if {@code machineDir} holds no key file yet. */
  public static Optional<MachineKey> load(Path machineDir) throws IOException {
    Path file = keyFile(machineDir);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String content = Files.readString(file, StandardCharsets.US_ASCII);
    try {
      return Optional.of(new MachineKey(SymmetricKey.fromBase64(content), file));
    } catch (IllegalArgumentException e) {
      // The message never repeats the file's content, so it is safe to pass on.
      throw new IOException(
          "The machine key file "
              + file
              + " is damaged: "
              + e.getMessage()
              + " Restore it from a backup; values it protected cannot be opened without it.");
    }
  }

  /** Public id of this machine's key, as named in the values it protects. */
  public String keyId() {
    return key.keyId();
  }

  /** The key file. */
  public Path file() {
    return file;
  }

  /**
   * Protects {@code secret} for storage in a config file on this machine. {@code purpose} (for
   * example "masterKey") is authenticated, so a value cannot be reused for another purpose.
   */
  public String protect(String purpose, byte[] secret) throws GeneralSecurityException {
    byte[] payload = key.aead().encrypt(secret, associatedData(purpose));
    return PREFIX + key.keyId() + ":" + Base64.getEncoder().encodeToString(payload);
  }

  /**
   * Opens a value made by {@link #protect} with the same purpose.
   *
   * @throws ForeignMachineException if another machine's key protected the value
   * @throws DecryptionFailedException if the value is malformed, changed or has another purpose
   */
  public byte[] unprotect(String purpose, String protectedValue) throws GeneralSecurityException {
    byte[] aad = associatedData(purpose);
    if (!looksProtected(protectedValue)) {
      throw new DecryptionFailedException();
    }
    String valueKeyId = protectedValue.substring(PREFIX.length(), PREFIX.length() + KEY_ID_LENGTH);
    if (!valueKeyId.equals(key.keyId())) {
      throw new ForeignMachineException(valueKeyId, key.keyId(), file);
    }
    byte[] payload;
    try {
      payload =
          Base64.getDecoder().decode(protectedValue.substring(PREFIX.length() + KEY_ID_LENGTH + 1));
    } catch (IllegalArgumentException e) {
      throw new DecryptionFailedException();
    }
    return key.aead().decrypt(payload, aad);
  }

  /** Whether {@code value} has the shape of a protected value (syntax only; needs no key). */
  /** The id of the machine key that protected {@code value}, if it has the protected shape. */
  public static Optional<String> keyIdOf(String value) {
    if (!looksProtected(value)) {
      return Optional.empty();
    }
    return Optional.of(value.substring(PREFIX.length(), PREFIX.length() + KEY_ID_LENGTH));
  }

  public static boolean looksProtected(String value) {
    if (value == null
        || !value.startsWith(PREFIX)
        || value.length() <= PREFIX.length() + KEY_ID_LENGTH + 1) {
      return false;
    }
    int separator = PREFIX.length() + KEY_ID_LENGTH;
    return SymmetricKey.isKeyId(value.substring(PREFIX.length(), separator))
        && value.charAt(separator) == ':';
  }

  private static byte[] associatedData(String purpose) {
    Objects.requireNonNull(purpose, "purpose");
    if (purpose.isBlank()) {
      throw new IllegalArgumentException("A machine-protected value needs a non-blank purpose.");
    }
    return (AAD_DOMAIN + purpose).getBytes(StandardCharsets.UTF_8);
  }

  private static Path keyFile(Path machineDir) {
    return machineDir.resolve(FILE_NAME);
  }

  private static boolean isPosix(Path machineDir) {
    return machineDir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Writes a new key to a private temporary file, then publishes it under the final name with an
   * operation that fails if the name is taken. A hard link is atomic and never replaces, unlike a
   * rename, which on POSIX silently replaces a file that appeared after the existence check. Losing
   * the race is fine: the caller then reads the winner's key.
   */
  private static void publishNewKey(Path machineDir, boolean posix) throws IOException {
    Path target = keyFile(machineDir);
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
            : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(machineDir, "." + FILE_NAME + "-", ".tmp", attributes);
    try {
      String content = InsecureKeyAccess.toBase64(SymmetricKey.generate()) + "\n";
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.createLink(target, temp);
      } catch (FileAlreadyExistsException e) {
        return; // another process won the race; its key is the machine key
      } catch (UnsupportedOperationException | IOException e) {
        moveWithoutReplacing(temp, target);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  // Fallback for file systems without hard links; the move still refuses to replace a key.
  private static void moveWithoutReplacing(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target);
    } catch (FileAlreadyExistsException e) {
      // another process won the race
    }
  }

  @Override
  public String toString() {
    return "MachineKey{id=" + key.keyId() + ", file=" + file + ", <masked>}";
  }
}
