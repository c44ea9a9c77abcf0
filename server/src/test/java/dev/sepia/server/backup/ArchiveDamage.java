package dev.sepia.server.backup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;

/** Copies of a backup with damage an operator might meet: a flipped byte, a cut-off file. */
final class ArchiveDamage {
  private ArchiveDamage() {}

  /** A copy with one byte flipped in the middle of {@code entry}'s stored (compressed) data. */
  static Path flipInside(Path archive, String entry, Path copy) throws Exception {
    long compressed;
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      compressed = zip.getEntry(entry).getCompressedSize();
    }
    byte[] bytes = Files.readAllBytes(archive);
    int header = localHeader(bytes, entry);
    int nameLength = u16(bytes, header + 26);
    int extraLength = u16(bytes, header + 28);
    int data = header + 30 + nameLength + extraLength;
    bytes[data + (int) (compressed / 2)] ^= 0x01;
    Files.write(copy, bytes);
    return copy;
  }

  /** A copy holding only the first half of the archive, as an interrupted copy would. */
  static Path truncate(Path archive, Path copy) throws Exception {
    byte[] bytes = Files.readAllBytes(archive);
    Files.write(copy, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    return copy;
  }

  private static int localHeader(byte[] bytes, String entry) {
    byte[] name = entry.getBytes(StandardCharsets.UTF_8);
    for (int i = 30; i + name.length <= bytes.length; i++) {
      if (java.util.Arrays.equals(bytes, i, i + name.length, name, 0, name.length)
          && bytes[i - 30] == 0x50
          && bytes[i - 29] == 0x4b
          && bytes[i - 28] == 0x03
          && bytes[i - 27] == 0x04) {
        return i - 30;
      }
    }
    throw new AssertionError("no local header for " + entry);
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }
}
