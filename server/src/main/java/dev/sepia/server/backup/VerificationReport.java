package dev.sepia.server.backup;

import java.util.List;

/**
 * What {@link BackupVerifier} found: the backup restored into a scratch database, each table's rows
 * against the manifest, and each catalogued field's values opened with the key. Holds counts only,
 * never a value.
 *
 * @param ok true only if every table has the manifest's rows and every sealed value opened
 */
public record VerificationReport(
    String file,
    String createdAt,
    String instanceName,
    String sourceEngine,
    String schemaVersion,
    String masterKeyId,
    boolean includesMasterKey,
    int files,
    List<TableCheck> tables,
    List<FieldCheck> values,
    boolean ok) {

  /** A table's rows: as the manifest says, and as counted after the restore. */
  public record TableCheck(String name, long expected, long restored) {
    public boolean ok() {
      return expected == restored;
    }
  }

  /** One catalogued field: how many of its stored values opened with the key, and how many not. */
  public record FieldCheck(
      String field, String ownerKind, String description, long opened, long failed) {}

  public long totalRows() {
    return tables.stream().mapToLong(TableCheck::restored).sum();
  }

  public long valuesOpened() {
    return values.stream().mapToLong(FieldCheck::opened).sum();
  }

  public long valuesFailed() {
    return values.stream().mapToLong(FieldCheck::failed).sum();
  }
}
