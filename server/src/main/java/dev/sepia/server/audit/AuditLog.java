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

  /**
   * Which events to list; every part may be null. {@code from} is inclusive and {@code to}
   * exclusive; category and actor match whole values, in any case.
   */
  public record EventFilter(String category, String actor, Instant from, Instant to) {}

  public record EventPage(List<AuditEvent> items, int totalResults) {}

  /** Events matching {@code filter}, newest first. */
  public EventPage search(EventFilter filter, int skip, int take) {
    List<String> conditions = new java.util.ArrayList<>();
    if (filter.category() != null) {
      conditions.add("LOWER(category) = LOWER(:category)");
    }
    if (filter.actor() != null) {
      conditions.add("LOWER(actor) = LOWER(:actor)");
    }
    if (filter.from() != null) {
      conditions.add("occurred_at >= :from");
    }
    if (filter.to() != null) {
      conditions.add("occurred_at < :to");
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    return jdbi.withHandle(
        h -> {
          var count = h.createQuery("SELECT COUNT(*) FROM events" + where);
          var query =
              h.createQuery(
                  "SELECT id, occurred_at, actor, category, message FROM events"
                      + where
                      + " ORDER BY occurred_at DESC, id DESC LIMIT :take OFFSET :skip");
          for (var statement : List.of(count, query)) {
            if (filter.category() != null) {
              statement.bind("category", filter.category());
            }
            if (filter.actor() != null) {
              statement.bind("actor", filter.actor());
            }
            if (filter.from() != null) {
              statement.bind("from", filter.from());
            }
            if (filter.to() != null) {
              statement.bind("to", filter.to());
            }
          }
          int total = count.mapTo(Integer.class).one();
          List<AuditEvent> items =
              query
                  .bind("take", take)
                  .bind("skip", skip)
                  .map(
                      (rs, ctx) ->
                          new AuditEvent(
                              rs.getLong("id"),
                              rs.getTimestamp("occurred_at").toInstant(),
                              rs.getString("actor"),
                              rs.getString("category"),
                              rs.getString("message")))
                  .list();
          return new EventPage(items, total);
        });
  }
}
