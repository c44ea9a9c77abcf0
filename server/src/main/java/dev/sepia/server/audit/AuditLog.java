package dev.sepia.server.audit;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Writes and reads audit events. Callers pass messages that never include secret values. */
public final class AuditLog {
  /** The actor recorded for changes made from the command line on the server machine. */
  public static String commandLineActor() {
    return "cli:" + System.getProperty("user.name", "unknown");
  }

  private final Jdbi jdbi;

  public AuditLog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void record(String actor, String category, String message) {
    jdbi.useHandle(h -> record(h, actor, category, message));
  }

  /** Records inside the caller's transaction, so the event and the change land together. */
  public static void record(Handle h, String actor, String category, String message) {
    h.createUpdate(
            "INSERT INTO events (occurred_at, actor, category, message)"
                + " VALUES (:at, :actor, :category, :message)")
        .bind("at", Instant.now())
        .bind("actor", actor)
        .bind("category", category)
        .bind("message", message)
        .execute();
  }

  public List<AuditEvent> latest(int take) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, occurred_at, actor, category, message FROM events"
                        + " ORDER BY id DESC")
                .setMaxRows(take)
                .map(
                    (rs, ctx) ->
                        new AuditEvent(
                            rs.getLong("id"),
                            rs.getTimestamp("occurred_at").toInstant(),
                            rs.getString("actor"),
                            rs.getString("category"),
                            rs.getString("message")))
                .list());
  }

  public record AuditEvent(
      long id, Instant occurredAt, String actor, String category, String message) {}
}
