package dev.sepia.server.web.ui;

import dev.sepia.server.model.environments.Environment;
import dev.sepia.server.model.environments.EnvironmentStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/** /environments: the list with an "add" form, and one environment's page to change or delete. */
public final class EnvironmentPages implements ApiModule {
  private final Pages pages;

  public EnvironmentPages(Pages pages) {
    this.pages = pages;
  }

  @Override
  public void register(Javalin app) {
    app.get("/environments", this::list);
    app.get("/environments/{id}", this::show);
  }

  private void list(Context ctx) {
    pages.render(
        ctx,
        "environments.jte",
        pages.frame(ctx, "Environments", "environments"),
        Map.of("environments", new EnvironmentStore(pages.jdbi()).listAll()));
  }

  private void show(Context ctx) {
    Environment environment =
        new EnvironmentStore(pages.jdbi()).find(ctx.pathParam("id")).orElse(null);
    if (environment == null) {
      pages.notFound(ctx, "There is no such environment.", "/environments", "Environments");
      return;
    }
    pages.render(
        ctx,
        "environment.jte",
        pages.frame(ctx, environment.name(), "environments"),
        Map.of("environment", environment));
  }
}
