package dev.sepia.server.engine.backups;

import java.nio.file.Path;

/** Writes one backup archive of this instance to a file (the backup package does the work). */
@FunctionalInterface
public interface BackupMaker {
  /** What was written, for the task log and the "last backup" shown in the UI. */
  record Written(Path file, long bytes, String sha256, long tables, long rows, long files) {}

  /** Writes the archive; {@code actor} is who asked, for the audit event. */
  Written write(Path file, String actor) throws Exception;
}
