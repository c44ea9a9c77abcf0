package dev.sepia.server.web.ui;

import dev.sepia.server.escrow.MasterKeyEscrow;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ServerInfo;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Renders the precompiled JTE templates into responses, with the frame every page shares. */
public final class Pages {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);
  private final Jdbi jdbi;
  private final ServerInfo info;

  public Pages(Jdbi jdbi, ServerInfo info) {
    this.jdbi = jdbi;
    this.info = info;
  }

  public ServerInfo info() {
    return info;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /** The frame for a page of a signed-in user. */
  public PageFrame frame(Context ctx, String title, String section) {
    User user = Access.caller(ctx);
    boolean administrator = Access.has(user, Role.ADMINISTRATOR);
    // Only administrators can act on the reminder, so only they pay for the lookup.
    MasterKeyEscrow.Status escrow = administrator ? new MasterKeyEscrow(jdbi).status() : null;
    boolean banner = escrow != null && !escrow.escrowed();
    return new PageFrame(
        title,
        section,
        user.username(),
        user.role().displayName(),
        administrator,
        Access.has(user, Role.DEPLOYER),
        Access.csrfToken(ctx),
        banner,
        banner ? escrow.currentKeyId() : "",
        info.instance());
  }

  /** Renders a template with the frame and the given parameters. */
  public void render(Context ctx, String template, PageFrame frame, Map<String, Object> params) {
    Map<String, Object> all = new HashMap<>(params);
    all.put("frame", frame);
    StringOutput out = new StringOutput();
    engine.render(template, all, out);
    ctx.html(out.toString());
  }

  /** A 404 page that says what was not found and where to go instead. */
  public void notFound(Context ctx, String message, String backHref, String backLabel) {
    ctx.status(404);
    render(
        ctx,
        "notfound.jte",
        frame(ctx, "Not found", ""),
        Map.of("message", message, "backHref", backHref, "backLabel", backLabel));
  }

  /** Renders a page that has no frame (the sign-in page). */
  public void renderBare(Context ctx, String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    engine.render(template, params, out);
    ctx.html(out.toString());
  }
}
