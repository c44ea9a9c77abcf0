package dev.sepia.server.web.ui;

import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.model.variables.LibraryVariableSet;
import dev.sepia.server.model.variables.LibraryVariableSetStore;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * /library-sets: library variable sets with an "add" form; /library-sets/{id}: one set's name,
 * variables (the shared variables editor) and the projects that include it.
 */
public final class LibrarySetPages implements ApiModule {
  private final Pages pages;

  public LibrarySetPages(Pages pages) {
    this.pages = pages;
  }

  @Override
  public void register(Javalin app) {
    app.get("/library-sets", this::list);
    app.get("/library-sets/{id}", this::show);
  }

  private void list(Context ctx) {
    pages.render(
        ctx,
        "library-sets.jte",
        pages.frame(ctx, "Library variable sets", "library-sets"),
        Map.of("sets", pages.jdbi().withHandle(LibraryVariableSetStore::listAll)));
  }

  private void show(Context ctx) {
    LibraryVariableSet set =
        new LibraryVariableSetStore(pages.jdbi()).find(ctx.pathParam("id")).orElse(null);
    if (set == null) {
      pages.notFound(
          ctx, "There is no such library variable set.", "/library-sets", "Library sets");
      return;
    }
    List<String> usedBy =
        pages.jdbi().withHandle(h -> ProjectStore.namesUsingLibrarySet(h, set.id()));
    pages.render(
        ctx,
        "library-set.jte",
        pages.frame(ctx, set.name(), "library-sets"),
        Map.of(
            "set",
            set,
            "usedBy",
            usedBy,
            "editor",
            VariablesPage.editor(
                pages.jdbi(), set.id(), "/api/libraryvariablesets/" + set.id() + "/variables")));
  }
}
