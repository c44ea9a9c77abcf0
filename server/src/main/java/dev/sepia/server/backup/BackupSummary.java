package dev.sepia.server.backup;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link BackupWriter#write} produced.
 *
 * @param file the finished archive
 * @param manifest its manifest (tables with row counts, files, schema version, key id)
 * @param archiveBytes the archive's size
 * @param archiveSha256 the SHA-256 of the whole archive file (lower-case hex), to compare copies
 */
public record BackupSummary(
    Path file, BackupManifest manifest, long archiveBytes, String archiveSha256) {

  public int tableCount() {
    return manifest.tables().size();
  }

  public long rowCount() {
    return manifest.totalRows();
  }

  public int fileCount() {
    return manifest.files().size();
  }

  public List<BackupManifest.TableEntry> tables() {
    return manifest.tables();
  }
}
