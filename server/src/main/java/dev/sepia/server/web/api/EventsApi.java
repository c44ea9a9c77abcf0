package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.audit.AuditLog.AuditEvent;
import dev.sepia.server.audit.AuditLog.EventFilter;
import dev.sepia.server.users.Role;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiException;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.Paging;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * GET /api/events: the audit log, newest first, for Viewers and up. Filters: {@code category} and
 * {@code actor} (whole value, any case), {@code from} (inclusive) and {@code to} (exclusive) as ISO
 * instants.
 */
public final class EventsApi implements ApiModule {
  private final AuditLog audit;

  public EventsApi(Jdbi jdbi) {
    this.audit = new AuditLog(jdbi);
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/events", this::list);
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    Instant from = instant(ctx, "from");
    Instant to = instant(ctx, "to");
    if (from != null && to != null && !from.isBefore(to)) {
      throw new ApiException(400, "from must be earlier than to.");
    }
    EventFilter filter = new EventFilter(text(ctx, "category"), text(ctx, "actor"), from, to);
    AuditLog.EventPage page = audit.search(filter, paging.skip(), paging.take());
    ctx.json(
        PagedResponse.of(
            page.items().stream().map(EventsApi::describe).toList(), page.totalResults(), paging));
  }

  private static String text(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static Instant instant(Context ctx, String name) {
    String value = text(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ApiException(
          400,
          name
              + " must be an ISO-8601 instant in UTC, like 2025-01-31T09:30:00Z; '"
              + value
              + "' is not.");
    }
  }

  static Map<String, Object> describe(AuditEvent e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", e.id());
    out.put("occurredAt", e.occurredAt().toString());
    out.put("actor", e.actor());
    out.put("category", e.category());
    out.put("message", e.message());
    return out;
  }
}
