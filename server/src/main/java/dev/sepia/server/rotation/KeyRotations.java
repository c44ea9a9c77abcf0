package dev.sepia.server.rotation;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code key_rotations} table: one row per master key rotation. */
public final class KeyRotations {
  private final Jdbi jdbi;

  public KeyRotations(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A rotation, finished or not. */
  public record Rotation(
      String id,
      String oldKeyId,
      String newKeyId,
      Instant startedAt,
      Instant completedAt,
      long reEncrypted) {}

  /** The rotation that started and has not completed, if any. */
  public Optional<Rotation> unfinished() {
    return latest("WHERE completed_at IS NULL");
  }

  /** The rotation completed last, if any. */
  public Optional<Rotation> lastCompleted() {
    return latest("WHERE completed_at IS NOT NULL");
  }

  private Optional<Rotation> latest(String where) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, old_key_id, new_key_id, started_at, completed_at, re_encrypted"
                        + " FROM key_rotations "
                        + where
                        + " ORDER BY started_at DESC")
                .setMaxRows(1)
                .map(
                    (rs, ctx) ->
                        new Rotation(
                            rs.getString("id"),
                            rs.getString("old_key_id"),
                            rs.getString("new_key_id"),
                            rs.getTimestamp("started_at").toInstant(),
                            rs.getTimestamp("completed_at") == null
                                ? null
                                : rs.getTimestamp("completed_at").toInstant(),
                            rs.getLong("re_encrypted")))
                .findFirst());
  }

  /** Records a new rotation in the caller's transaction and returns its id. */
  static String start(Handle h, String oldKeyId, String newKeyId, String actor) {
    String id = "KeyRotations-" + UUID.randomUUID();
    h.createUpdate(
            "INSERT INTO key_rotations (id, old_key_id, new_key_id, actor, started_at)"
                + " VALUES (:id, :old, :new, :actor, :at)")
        .bind("id", id)
        .bind("old", oldKeyId)
        .bind("new", newKeyId)
        .bind("actor", actor)
        .bind("at", Instant.now())
        .execute();
    return id;
  }

  /** Counts values a batch re-encrypted, in the batch's transaction. */
  static void addReEncrypted(Handle h, String id, int n) {
    if (n == 0) {
      return;
    }
    h.createUpdate("UPDATE key_rotations SET re_encrypted = re_encrypted + :n WHERE id = :id")
        .bind("n", n)
        .bind("id", id)
        .execute();
  }

  /** Marks the rotation completed, in the caller's transaction. */
  static void complete(Handle h, String id, String thumbprint, String reportPath, Instant at) {
    h.createUpdate(
            "UPDATE key_rotations SET completed_at = :at, thumbprint = :thumbprint,"
                + " report_path = :report WHERE id = :id")
        .bind("at", at)
        .bind("thumbprint", thumbprint)
        .bind("report", reportPath)
        .bind("id", id)
        .execute();
  }
}
