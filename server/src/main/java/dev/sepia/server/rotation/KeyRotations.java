package dev.sepia.server.rotation;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
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

  /**
   * A rotation, finished or not. Until {@code sealingSince}, the new key is being handed to every
   * running node, which opens with it but still seals with the old key.
   */
  public record Rotation(
      String id,
      String oldKeyId,
      String newKeyId,
      Instant startedAt,
      Instant sealingSince,
      Instant completedAt,
      long reEncrypted) {

    /** Whether nodes seal with the new key yet. */
    public boolean sealsWithNewKey() {
      return sealingSince != null;
    }
  }

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
            h.createQuery("SELECT * FROM key_rotations " + where + " ORDER BY started_at DESC")
                .setMaxRows(1)
                .map(
                    (rs, ctx) ->
                        new Rotation(
                            rs.getString("id"),
                            rs.getString("old_key_id"),
                            rs.getString("new_key_id"),
                            rs.getTimestamp("started_at").toInstant(),
                            sealingSince(rs),
                            instant(rs.getTimestamp("completed_at")),
                            rs.getLong("re_encrypted")))
                .findFirst());
  }

  // SELECT * and this check, because a server opening a database whose schema predates the column
  // reads this before it is told to upgrade; such rotations sealed with the new key from the start.
  private static Instant sealingSince(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      if (meta.getColumnLabel(i).equalsIgnoreCase("sealing_since")) {
        return instant(rs.getTimestamp(i));
      }
    }
    return rs.getTimestamp("started_at").toInstant();
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  /** Lets every node seal with the new key; harmless when it already does. */
  void startSealing(String id) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE key_rotations SET sealing_since = :at"
                        + " WHERE id = :id AND sealing_since IS NULL")
                .bind("at", Instant.now())
                .bind("id", id)
                .execute());
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
