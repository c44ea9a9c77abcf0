package dev.sepia.server.web.ui;

import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/**
 * /recovery: the values to re-enter after a recovery from a lost master key. On a healthy server
 * the list is empty; the recovery ({@code sepia-server lost-master-key}) is what fills it.
 */
public final class RecoveryPage implements ApiModule {
  private final Pages pages;

  public RecoveryPage(Pages pages) {
    this.pages = pages;
  }

  @Override
  public void register(Javalin app) {
    app.get("/recovery", this::show);
  }

  private void show(Context ctx) {
    pages.render(
        ctx, "recovery.jte", pages.frame(ctx, "Values to re-enter", "configuration"), Map.of());
  }
}
