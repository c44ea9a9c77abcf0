package dev.sepia.server.web.ui;

import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/** GET /login: the sign-in form; it posts to /api/users/login and then goes where it was sent. */
public final class SignInPage implements ApiModule {
  private final Pages pages;

  public SignInPage(Pages pages) {
    this.pages = pages;
  }

  @Override
  public void register(Javalin app) {
    app.get("/login", this::show);
  }

  private void show(Context ctx) {
    pages.renderBare(
        ctx,
        "login.jte",
        Map.of("next", safeNext(ctx.queryParam("next")), "instance", pages.info().instance()));
  }

  /** Only a path on this server, so the sign-in page cannot send anyone elsewhere. */
  static String safeNext(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
      return "/";
    }
    return next;
  }
}
