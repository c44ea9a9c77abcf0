package dev.sepia.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Copies of a backup with damage an operator might meet (a flipped byte, a cut-off file), and with
 * the changes an attacker who can write the backup folder might make.
 */
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

  /**
   * A copy in which {@code entry}'s text is edited and its SHA-256 in the manifest recomputed, as
   * someone without the master key would do to slip a change past the checksums; every other entry,
   * the tag included, is copied as it is.
   */
  static Path editedAndResummed(Path archive, String entry, UnaryOperator<String> edit, Path copy)
      throws Exception {
    Map<String, byte[]> entries = read(archive);
    byte[] edited =
        edit.apply(new String(entries.get(entry), StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
    assertThat(edited).as("the edit changed " + entry).isNotEqualTo(entries.get(entry));
    entries.put(entry, edited);
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(entries.get(BackupManifest.ENTRY));
    String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(edited));
    for (String list : new String[] {"tables", "files"}) {
      for (JsonNode item : manifest.get(list)) {
        String name = item.has("entry") ? item.get("entry").asText() : item.get("path").asText();
        if (name.equals(entry)) {
          ((ObjectNode) item).put("sha256", sum);
          if (item.has("size")) {
            ((ObjectNode) item).put("size", edited.length);
          }
        }
      }
    }
    entries.put(BackupManifest.ENTRY, json.writeValueAsBytes(manifest));
    return write(entries, copy);
  }

  /** A copy without {@code entry}. */
  static Path without(Path archive, String entry, Path copy) throws Exception {
    Map<String, byte[]> entries = read(archive);
    assertThat(entries.remove(entry)).as(entry).isNotNull();
    return write(entries, copy);
  }

  private static Map<String, byte[]> read(Path archive) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(archive))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static Path write(Map<String, byte[]> entries, Path copy) throws Exception {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
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
