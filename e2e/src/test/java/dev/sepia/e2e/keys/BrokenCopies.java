package dev.sepia.e2e.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Copies of a backup archive as they go wrong in real life: a flipped bit, a cut-off copy. */
public final class BrokenCopies {
  private static final int LOCAL_HEADER = 0x04034b50;
  private static final int LOCAL_HEADER_SIZE = 30;

  private BrokenCopies() {}

  /** The name of the archive's largest entry under {@code folder} (e.g. "database/"). */
  public static String largestEntryUnder(Path archive, String folder) {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      return zip.stream()
          .filter(e -> !e.isDirectory() && e.getName().startsWith(folder))
          .max(Comparator.comparingLong(ZipEntry::getCompressedSize))
          .map(ZipEntry::getName)
          .orElseThrow(() -> new AssertionError("No entry under " + folder + " in " + archive));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a copy with one bit flipped half-way through the stored bytes of {@code entry}. */
  public static Path withAFlippedBit(Path archive, String entry, Path copy) {
    try {
      byte[] bytes = Files.readAllBytes(archive);
      long stored = storedSize(archive, entry);
      int data = dataStart(bytes, entry);
      bytes[data + (int) (stored / 2)] ^= 0x10;
      return Files.write(copy, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a copy of the first {@code percent}% of the archive, as an interrupted copy leaves. */
  public static Path truncated(Path archive, int percent, Path copy) {
    try {
      byte[] bytes = Files.readAllBytes(archive);
      return Files.write(copy, Arrays.copyOf(bytes, (int) ((long) bytes.length * percent / 100)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long storedSize(Path archive, String entry) throws IOException {
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
        ZipEntry e = all.nextElement();
        if (e.getName().equals(entry)) {
          return e.getCompressedSize();
        }
      }
    }
    throw new AssertionError("No entry " + entry + " in " + archive);
  }

  /** Where the entry's stored bytes begin: after its local header, name and extra field. */
  private static int dataStart(byte[] bytes, String entry) {
    byte[] name = entry.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at + LOCAL_HEADER_SIZE + name.length <= bytes.length; at++) {
      if (le32(bytes, at) == LOCAL_HEADER
          && le16(bytes, at + 26) == name.length
          && Arrays.equals(
              bytes,
              at + LOCAL_HEADER_SIZE,
              at + LOCAL_HEADER_SIZE + name.length,
              name,
              0,
              name.length)) {
        return at + LOCAL_HEADER_SIZE + name.length + le16(bytes, at + 28);
      }
    }
    throw new AssertionError("No local header for " + entry);
  }

  private static int le16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  private static int le32(byte[] b, int at) {
    return le16(b, at) | le16(b, at + 2) << 16;
  }
}
