package dev.sepia.server.backup;

import java.util.List;

/**
 * What a backup archive holds, written as {@code manifest.json}. Every other entry of the archive
 * is listed here with its SHA-256, so a damaged entry is found before anything is restored. The
 * manifest's exact bytes are tagged with the master key in {@code manifest.tag} (see {@link
 * dev.sepia.crypto.KeyedTag}): checksums alone would catch damage, the tag also catches an archive
 * changed and re-summed by someone without the key.
 *
 * @param format always {@value #FORMAT}
 * @param formatVersion the archive layout; a reader refuses versions newer than it knows
 * @param createdAt when the database snapshot was taken (UTC, ISO-8601)
 * @param sepiaVersion the Sepia that wrote it
 * @param sourceEngine "H2" or "PostgreSQL"
 * @param schemaVersion the database's latest applied migration when it was backed up
 * @param instanceName the instance that was backed up
 * @param masterKeyId the id of the master key the database was sealed with (from its verifier)
 * @param includesMasterKey whether {@code master-key.box} holds the key, wrapped with a passphrase
 * @param masterKey the {@code master-key.box} entry, or null
 * @param tables one entry per table, in an order where parents come before children
 * @param files the instance home's task logs, reports and artifacts
 */
public record BackupManifest(
    String format,
    int formatVersion,
    String createdAt,
    String sepiaVersion,
    String sourceEngine,
    String schemaVersion,
    String instanceName,
    String masterKeyId,
    boolean includesMasterKey,
    FileEntry masterKey,
    List<TableEntry> tables,
    List<FileEntry> files) {

  public static final String FORMAT = "sepia-backup";
  public static final int FORMAT_VERSION = 2;
  public static final String ENTRY = "manifest.json";
  public static final String TAG_ENTRY = "manifest.tag";
  static final String TAG_PURPOSE = "backup-manifest";
  public static final String MASTER_KEY_ENTRY = "master-key.box";

  /**
   * One table: its columns (name and portable type), its row count and its entry.
   *
   * @param entry {@code database/<table>.jsonl}, one JSON object per row
   */
  public record TableEntry(
      String name, List<Column> columns, long rows, String entry, String sha256) {}

  /** A column and its portable type ({@code text}, {@code bigint}, {@code timestamp}, …). */
  public record Column(String name, String type) {}

  /**
   * A file of the instance home, or the wrapped master key.
   *
   * @param path the entry name in the archive ({@code files/TaskLogs/…})
   */
  public record FileEntry(String path, long size, String sha256) {}

  static String tableEntry(String table) {
    return "database/" + table + ".jsonl";
  }

  long totalRows() {
    return tables.stream().mapToLong(TableEntry::rows).sum();
  }
}
