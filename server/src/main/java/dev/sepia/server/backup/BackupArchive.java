package dev.sepia.server.backup;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.crypto.KeyedTag;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.Json;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.store.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A backup archive opened for reading. Opening checks that it is a whole Sepia backup with an
 * undamaged manifest; {@link #verifyChecksums} checks every other entry against the manifest (and
 * against the zip's own CRC), so nothing is restored from a damaged archive. Close it when done.
 */
public final class BackupArchive implements AutoCloseable {
  private static final ObjectMapper ROWS = new ObjectMapper();

  private final Path file;
  private final ZipFile zip;
  private final BackupManifest manifest;
  private final byte[] manifestBytes;
  private final String tag;
  private boolean verified;

  private BackupArchive(
      Path file, ZipFile zip, BackupManifest manifest, byte[] manifestBytes, String tag) {
    this.file = file;
    this.zip = zip;
    this.manifest = manifest;
    this.manifestBytes = manifestBytes;
    this.tag = tag;
  }

  /**
   * Opens {@code file} and reads its manifest.
   *
   * @throws OperatorException if the file is missing, truncated, not a Sepia backup, has a damaged
   *     manifest, or was written by a newer Sepia in a format this one cannot read
   */
  public static BackupArchive open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new OperatorException("The backup file " + file + " does not exist.", 2);
    }
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (IOException e) {
      throw notABackup(file, "it is not a complete zip archive");
    }
    try {
      ZipEntry entry = zip.getEntry(BackupManifest.ENTRY);
      if (entry == null) {
        throw notABackup(file, "it has no " + BackupManifest.ENTRY);
      }
      byte[] bytes;
      try (InputStream in = zip.getInputStream(entry)) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw damaged(file, BackupManifest.ENTRY);
      }
      CRC32 crc = new CRC32();
      crc.update(bytes);
      if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
        throw damaged(file, BackupManifest.ENTRY);
      }
      BackupManifest manifest;
      try {
        manifest = Json.mapper().readValue(bytes, BackupManifest.class);
      } catch (IOException e) {
        throw damaged(file, BackupManifest.ENTRY);
      }
      if (!BackupManifest.FORMAT.equals(manifest.format())
          || manifest.tables() == null
          || manifest.files() == null) {
        throw notABackup(file, "its manifest is not a Sepia backup manifest");
      }
      if (manifest.formatVersion() > BackupManifest.FORMAT_VERSION) {
        throw new OperatorException(
            "The backup "
                + file
                + " was written by a newer Sepia (archive format "
                + manifest.formatVersion()
                + "; this Sepia reads format "
                + BackupManifest.FORMAT_VERSION
                + "). Restore it with Sepia "
                + manifest.sepiaVersion()
                + " or newer. Nothing was changed.");
      }
      if (manifest.formatVersion() < BackupManifest.FORMAT_VERSION) {
        throw new OperatorException(
            "The backup "
                + file
                + " was made by a development build of Sepia ("
                + manifest.sepiaVersion()
                + ") before backups were tagged with the master key (archive format "
                + manifest.formatVersion()
                + "); this Sepia restores only tagged backups (format "
                + BackupManifest.FORMAT_VERSION
                + "). Restore it with the build that made it, then take a new backup. Nothing was"
                + " changed.");
      }
      for (String entryName : listedEntries(manifest).keySet()) {
        if (!safeEntryName(entryName)) {
          throw notABackup(file, "its manifest names an unsafe entry path '" + entryName + "'");
        }
      }
      return new BackupArchive(file, zip, manifest, bytes, readTag(zip, file));
    } catch (RuntimeException e) {
      closeQuietly(zip);
      throw e;
    }
  }

  /** The tag of {@code manifest.tag}; a missing or unreadable one is refused as a change. */
  private static String readTag(ZipFile zip, Path file) {
    ZipEntry entry = zip.getEntry(BackupManifest.TAG_ENTRY);
    if (entry == null) {
      throw changed(file, "its " + BackupManifest.TAG_ENTRY + " is missing");
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readNBytes(200);
    } catch (IOException e) {
      throw damaged(file, BackupManifest.TAG_ENTRY);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes);
    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
      throw damaged(file, BackupManifest.TAG_ENTRY);
    }
    return new String(bytes, StandardCharsets.US_ASCII).strip();
  }

  public Path file() {
    return file;
  }

  /**
   * Refuses an archive whose manifest was not tagged by {@code key}: with the checksums, this
   * proves that no entry changed since a holder of the key wrote it. The caller has checked that
   * {@code key} is the backup's key.
   */
  public void requireTaggedBy(SymmetricKey key) {
    if (!KeyedTag.matches(tag, key, BackupManifest.TAG_PURPOSE, manifestBytes)) {
      throw changed(
          file, "its manifest does not match the tag made with master key id " + key.keyId());
    }
  }

  public BackupManifest manifest() {
    return manifest;
  }

  /**
   * Reads every entry and compares its size and SHA-256 with the manifest and its CRC with the
   * zip's; also refuses entries the manifest does not list and listed entries that are missing.
   *
   * @throws OperatorException naming the first damaged entry ("entry database/x.jsonl is damaged
   *     (checksum mismatch)")
   */
  public void verifyChecksums() {
    Map<String, Expected> expected = listedEntries(manifest);
    Enumeration<? extends ZipEntry> entries = zip.entries();
    while (entries.hasMoreElements()) {
      ZipEntry entry = entries.nextElement();
      String name = entry.getName();
      if (name.equals(BackupManifest.ENTRY)
          || name.equals(BackupManifest.TAG_ENTRY)
          || entry.isDirectory()) {
        continue;
      }
      Expected want = expected.remove(name);
      if (want == null) {
        throw new OperatorException(
            "The backup "
                + file
                + " is damaged: entry "
                + name
                + " is not listed in its manifest. Nothing was changed. Use another copy of the"
                + " backup.");
      }
      MessageDigest sha = Sha256.digest();
      CRC32 crc = new CRC32();
      long size = 0;
      try (InputStream in = zip.getInputStream(entry)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
          sha.update(buffer, 0, n);
          crc.update(buffer, 0, n);
          size += n;
        }
      } catch (IOException | RuntimeException e) {
        throw damaged(file, name);
      }
      if (size != want.size && want.size >= 0
          || entry.getCrc() != -1 && crc.getValue() != entry.getCrc()
          || !Sha256.hex(sha).equalsIgnoreCase(want.sha256)) {
        throw damaged(file, name);
      }
    }
    if (!expected.isEmpty()) {
      throw new OperatorException(
          "The backup "
              + file
              + " is truncated or damaged: entry "
              + expected.keySet().iterator().next()
              + " is missing. Nothing was changed. Use another copy of the backup.");
    }
    verified = true;
  }

  /** Whether {@link #verifyChecksums} passed. */
  public boolean isVerified() {
    return verified;
  }

  /** The wrapped master key, if the backup includes it. */
  public Optional<byte[]> wrappedMasterKey() {
    if (manifest.masterKey() == null) {
      return Optional.empty();
    }
    try (InputStream in = entry(manifest.masterKey().path())) {
      return Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw damaged(file, manifest.masterKey().path());
    }
  }

  /** The master key verifier stored in the backed-up database, or empty if it has none. */
  public Optional<String> masterKeyVerifier() {
    for (BackupManifest.TableEntry table : manifest.tables()) {
      if (table.name().equals(BackupTables.METADATA)) {
        try (MappingIterator<ObjectNode> rows = rows(table)) {
          while (rows.hasNext()) {
            ObjectNode row = rows.next();
            if ("master_key_verifier".equals(row.path("item_name").asText())) {
              return Optional.ofNullable(row.path("item_value").textValue());
            }
          }
        } catch (IOException | RuntimeException e) {
          throw damaged(file, table.entry());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Refuses a backup whose schema this Sepia does not know (a newer Sepia made it): restoring it
   * would need migrations this Sepia does not have.
   */
  public void requireKnownSchema() {
    List<String> known = Schema.knownVersions();
    if (!known.contains(manifest.schemaVersion())) {
      throw new OperatorException(
          "The backup "
              + file
              + " was taken from a database at schema version "
              + manifest.schemaVersion()
              + ", which this Sepia ("
              + dev.sepia.server.startup.Version.current()
              + ", schema up to version "
              + (known.isEmpty() ? "none" : known.get(known.size() - 1))
              + ") does not know: a newer Sepia ("
              + manifest.sepiaVersion()
              + ") made it. Restore it with that version of Sepia or newer. Nothing was changed.");
    }
  }

  /** The rows of a table entry, one JSON object each. Close the iterator when done. */
  MappingIterator<ObjectNode> rows(BackupManifest.TableEntry table) throws IOException {
    return ROWS.readerFor(ObjectNode.class).readValues(entry(table.entry()));
  }

  /** An entry's bytes as stored. */
  InputStream entry(String name) throws IOException {
    ZipEntry entry = zip.getEntry(name);
    if (entry == null) {
      throw new OperatorException(
          "The backup " + file + " is truncated or damaged: entry " + name + " is missing.");
    }
    return zip.getInputStream(entry);
  }

  @Override
  public void close() {
    closeQuietly(zip);
  }

  private record Expected(long size, String sha256) {}

  private static Map<String, Expected> listedEntries(BackupManifest manifest) {
    Map<String, Expected> expected = new LinkedHashMap<>();
    for (BackupManifest.TableEntry table : manifest.tables()) {
      expected.put(table.entry(), new Expected(-1, String.valueOf(table.sha256())));
    }
    for (BackupManifest.FileEntry f : manifest.files()) {
      expected.put(f.path(), new Expected(f.size(), String.valueOf(f.sha256())));
    }
    if (manifest.masterKey() != null) {
      expected.put(
          manifest.masterKey().path(),
          new Expected(manifest.masterKey().size(), String.valueOf(manifest.masterKey().sha256())));
    }
    return expected;
  }

  /** Entry names stay inside the archive's folders when files are copied out ("zip slip"). */
  private static boolean safeEntryName(String name) {
    if (name == null || name.isEmpty() || name.startsWith("/") || name.contains("\\")) {
      return false;
    }
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return name.startsWith("database/")
        || name.startsWith("files/")
        || name.equals(BackupManifest.MASTER_KEY_ENTRY);
  }

  static OperatorException notABackup(Path file, String why) {
    return new OperatorException(
        "The file "
            + file
            + " is truncated or is not a Sepia backup ("
            + why
            + "). Nothing was changed. Use another copy of the backup.");
  }

  /** An archive changed after it was written, with its checksums recomputed. */
  static OperatorException changed(Path file, String why) {
    return new OperatorException(
        "The backup "
            + file
            + " was changed after it was written ("
            + why
            + "): an entry was edited and the checksums recomputed, or the archive was assembled"
            + " by something other than Sepia. It is not restored. Nothing was changed. Use another"
            + " copy of the backup.");
  }

  static OperatorException damaged(Path file, String entry) {
    return new OperatorException(
        "The backup "
            + file
            + " is damaged: entry "
            + entry
            + " is damaged (checksum mismatch). Nothing was changed. Use another copy of the"
            + " backup.");
  }

  private static void closeQuietly(ZipFile zip) {
    try {
      zip.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
