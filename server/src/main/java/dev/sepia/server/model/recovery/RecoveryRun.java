package dev.sepia.server.model.recovery;

import java.time.Instant;

/**
 * One run of {@code sepia-server lost-master-key}.
 *
 * @param completedAt null while the run has not finished (running it again resumes it)
 * @param newThumbprint the thumbprint of the certificate the run made, which Tentacles must trust
 * @param reportPath the report the run wrote in the instance's home folder
 */
public record RecoveryRun(
    String id,
    Instant startedAt,
    Instant completedAt,
    String startedBy,
    String newThumbprint,
    long clearedCount,
    String reportPath) {

  public boolean completed() {
    return completedAt != null;
  }
}
