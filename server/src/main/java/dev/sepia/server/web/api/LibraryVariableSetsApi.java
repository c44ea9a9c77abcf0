package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.model.variables.LibraryVariableSet;
import dev.sepia.server.model.variables.LibraryVariableSetStore;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiException;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.JsonBody;
import dev.sepia.server.web.Paging;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** /api/libraryvariablesets: named sets of variables that projects include. */
public final class LibraryVariableSetsApi implements ApiModule {
  private final Jdbi jdbi;
  private final LibraryVariableSetStore store;
  private final VariablesResource variables;

  public LibraryVariableSetsApi(Jdbi jdbi, Barrier barrier) {
    this.jdbi = jdbi;
    this.store = new LibraryVariableSetStore(jdbi);
    this.variables = new VariablesResource(jdbi, barrier);
  }

  /** The request body of POST and PUT. */
  public record LibraryVariableSetRequest(String name, String description) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/libraryvariablesets", this::list);
    app.get("/api/libraryvariablesets/{id}", this::get);
    app.post("/api/libraryvariablesets", this::create);
    app.put("/api/libraryvariablesets/{id}", this::update);
    app.delete("/api/libraryvariablesets/{id}", this::delete);
    app.get("/api/libraryvariablesets/{id}/variables", this::getVariables);
    app.put("/api/libraryvariablesets/{id}/variables", this::putVariables);
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    Paging paging = Paging.from(ctx);
    LibraryVariableSetStore.Page page =
        store.list(ctx.queryParam("name"), paging.skip(), paging.take());
    ctx.json(
        PagedResponse.of(
            page.items().stream().map(LibraryVariableSetsApi::describe).toList(),
            page.totalResults(),
            paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.json(describe(existing(ctx.pathParam("id"))));
  }

  private void create(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    LibraryVariableSetRequest request = validate(body(ctx));
    String id =
        jdbi.inTransaction(
            h -> {
              refuseTakenName(h, request.name(), null);
              String newId =
                  LibraryVariableSetStore.insert(h, request.name(), request.description());
              AuditLog.record(
                  h,
                  user.username(),
                  "LibraryVariableSetCreated",
                  "Added library variable set '" + request.name() + "'");
              return newId;
            });
    ctx.status(201).json(describe(existing(id)));
  }

  private void update(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    LibraryVariableSet current = existing(ctx.pathParam("id"));
    LibraryVariableSetRequest request = validate(body(ctx));
    jdbi.useTransaction(
        h -> {
          refuseTakenName(h, request.name(), current.id());
          LibraryVariableSetStore.update(h, current.id(), request.name(), request.description());
          AuditLog.record(
              h,
              user.username(),
              "LibraryVariableSetUpdated",
              "Updated library variable set '" + request.name() + "'");
        });
    ctx.json(describe(existing(current.id())));
  }

  private void delete(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    LibraryVariableSet set = existing(ctx.pathParam("id"));
    jdbi.useTransaction(
        h -> {
          List<String> projects = ProjectStore.namesUsingLibrarySet(h, set.id());
          if (!projects.isEmpty()) {
            throw new ApiException(
                409,
                "Library variable set '"
                    + set.name()
                    + "' is included by "
                    + projects.size()
                    + " project(s) and was not deleted. Remove it from them first.",
                projects.stream().map(p -> "project '" + p + "'").toList());
          }
          LibraryVariableSetStore.delete(h, set.id());
          AuditLog.record(
              h,
              user.username(),
              "LibraryVariableSetDeleted",
              "Deleted library variable set '" + set.name() + "' and its variables");
        });
    ctx.status(204);
  }

  private void getVariables(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    variables.get(ctx, owner(existing(ctx.pathParam("id"))));
  }

  private void putVariables(Context ctx) {
    User user = Access.require(ctx, Role.ADMINISTRATOR);
    variables.put(ctx, user, owner(existing(ctx.pathParam("id"))));
  }

  private static VariablesResource.Owner owner(LibraryVariableSet set) {
    return new VariablesResource.Owner(set.id(), "library variable set '" + set.name() + "'");
  }

  private static void refuseTakenName(Handle h, String name, String exceptId) {
    LibraryVariableSetStore.findByName(h, name)
        .filter(s -> !s.id().equals(exceptId))
        .ifPresent(
            s -> {
              throw new ApiException(
                  409,
                  "A library variable set named '"
                      + s.name()
                      + "' already exists. Choose another name.");
            });
  }

  private LibraryVariableSet existing(String id) {
    return store
        .find(id)
        .orElseThrow(
            () -> new ApiException(404, "There is no library variable set with id " + id + "."));
  }

  private static LibraryVariableSetRequest body(Context ctx) {
    return JsonBody.read(
        ctx, LibraryVariableSetRequest.class, "{\"name\": \"Common\", \"description\": \"…\"}");
  }

  private static LibraryVariableSetRequest validate(LibraryVariableSetRequest r) {
    List<String> problems = new ArrayList<>();
    String name = InputChecks.name("name", r.name(), problems);
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The library variable set is not valid.", problems);
    }
    return new LibraryVariableSetRequest(name, InputChecks.description(r.description()));
  }

  static Map<String, Object> describe(LibraryVariableSet s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", s.id());
    out.put("name", s.name());
    out.put("description", s.description());
    return out;
  }
}
