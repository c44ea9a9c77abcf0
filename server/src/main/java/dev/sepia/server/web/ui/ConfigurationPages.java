package dev.sepia.server.web.ui;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.audit.AuditLog.AuditEvent;
import dev.sepia.server.audit.AuditLog.EventFilter;
import dev.sepia.server.config.PublicUrl;
import dev.sepia.server.escrow.MasterKeyEscrow;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.users.UserStore;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.ui.TaskPages.PageLinks;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * /configuration: facts about this server and the master key backup, users (Administrators), the
 * signed-in user's API keys, and the audit log.
 */
public final class ConfigurationPages implements ApiModule {
  static final int AUDIT_PAGE_SIZE = 50;

  private final Pages pages;

  public ConfigurationPages(Pages pages) {
    this.pages = pages;
  }

  /** An API key's facts; the key itself is shown only once, when it is created. */
  public record ApiKeyView(UserStore.ApiKeyInfo key) {
    public String createdAt() {
      return WhenText.of(key.createdAt());
    }

    public String lastUsedAt() {
      return key.lastUsedAt() == null ? "never" : WhenText.of(key.lastUsedAt());
    }
  }

  /** An audit event with its moment in words. */
  public record EventView(AuditEvent event) {
    public String occurredAt() {
      return WhenText.of(event.occurredAt());
    }
  }

  /** Whether the current master key is escrowed, and the last escrow in words. */
  public record EscrowView(MasterKeyEscrow.Status status) {
    public boolean escrowed() {
      return status.escrowed();
    }

    public String currentKeyId() {
      return status.currentKeyId();
    }

    /** "key id 1a2b3c4d, printed by show-master-key, by cli:alice, 3 minutes ago", or empty. */
    public String last() {
      return status
          .last()
          .map(
              e ->
                  "key id "
                      + e.keyId()
                      + ", "
                      + e.how()
                      + ", by "
                      + e.by()
                      + ", "
                      + WhenText.of(java.time.Instant.parse(e.at())))
          .orElse("");
    }
  }

  /** The audit log's filters as typed, empty when not given. */
  public record AuditFilter(String category, String actor) {}

  @Override
  public void register(Javalin app) {
    app.get("/configuration", this::overview);
    app.get("/configuration/users", this::users);
    app.get("/configuration/users/{id}", this::user);
    app.get("/configuration/api-keys", this::apiKeys);
    app.get("/configuration/audit", this::audit);
  }

  private void overview(Context ctx) {
    pages.render(
        ctx,
        "configuration.jte",
        pages.frame(ctx, "Configuration", "configuration"),
        Map.of(
            "info",
            pages.info(),
            "publicUrl",
            PublicUrl.read(pages.jdbi()).orElse(""),
            "escrow",
            new EscrowView(new MasterKeyEscrow(pages.jdbi()).status())));
  }

  private void users(Context ctx) {
    PageFrame frame = pages.frame(ctx, "Users", "configuration");
    List<User> users =
        frame.administrator() ? new UserStore(pages.jdbi()).page(null, 0, 1000).items() : List.of();
    pages.render(ctx, "users.jte", frame, Map.of("users", users, "roles", roleNames()));
  }

  private void user(Context ctx) {
    PageFrame frame = pages.frame(ctx, "User", "configuration");
    User user =
        frame.administrator()
            ? new UserStore(pages.jdbi()).findById(ctx.pathParam("id")).orElse(null)
            : null;
    if (user == null) {
      pages.notFound(
          ctx, "There is no such user, or you may not see it.", "/configuration/users", "Users");
      return;
    }
    pages.render(
        ctx,
        "user.jte",
        pages.frame(ctx, user.username(), "configuration"),
        Map.of(
            "user", user, "roles", roleNames(), "self", user.id().equals(Access.caller(ctx).id())));
  }

  private void apiKeys(Context ctx) {
    User me = Access.caller(ctx);
    List<ApiKeyView> keys =
        pages.jdbi().withHandle(h -> UserStore.apiKeys(h, me.id())).stream()
            .map(ApiKeyView::new)
            .toList();
    pages.render(
        ctx, "api-keys.jte", pages.frame(ctx, "API keys", "configuration"), Map.of("keys", keys));
  }

  private void audit(Context ctx) {
    String category = text(ctx.queryParam("category"));
    String actor = text(ctx.queryParam("actor"));
    int skip = TaskPages.number(ctx, "skip", 0, 0, Integer.MAX_VALUE);
    int take = TaskPages.number(ctx, "take", AUDIT_PAGE_SIZE, 1, 1000);
    AuditLog.EventPage page =
        new AuditLog(pages.jdbi())
            .search(
                new EventFilter(
                    category.isEmpty() ? null : category,
                    actor.isEmpty() ? null : actor,
                    null,
                    null),
                skip,
                take);
    List<String> query = new ArrayList<>();
    if (!category.isEmpty()) {
      query.add("category=" + URLEncoder.encode(category, StandardCharsets.UTF_8));
    }
    if (!actor.isEmpty()) {
      query.add("actor=" + URLEncoder.encode(actor, StandardCharsets.UTF_8));
    }
    String base = "/configuration/audit" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    pages.render(
        ctx,
        "audit.jte",
        pages.frame(ctx, "Audit log", "configuration"),
        Map.of(
            "events",
            page.items().stream().map(EventView::new).toList(),
            "filter",
            new AuditFilter(category, actor),
            "links",
            PageLinks.of(base, skip, take, page.items().size(), page.totalResults())));
  }

  private static String text(String value) {
    return value == null ? "" : value.trim();
  }

  private static List<String> roleNames() {
    return List.of(
        Role.ADMINISTRATOR.displayName(), Role.DEPLOYER.displayName(), Role.VIEWER.displayName());
  }
}
