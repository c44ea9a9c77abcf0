package dev.sepia.server.web.api;

import dev.sepia.server.users.Role;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * GET /api/openapi.json: the machine-readable (OpenAPI 3.1) description of this API, for Viewers
 * and up. The document is written by hand next to this class; a test checks it names exactly the
 * routes the server has, with the role each needs.
 */
public final class OpenApiDocument implements ApiModule {
  static final String RESOURCE = "openapi.json";

  private final String document;

  public OpenApiDocument() {
    this.document = load();
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/openapi.json", this::serve);
  }

  private void serve(Context ctx) {
    Access.require(ctx, Role.VIEWER);
    ctx.contentType("application/json; charset=utf-8");
    ctx.result(document);
  }

  private static String load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "The API description " + RESOURCE + " is missing from the server's jar; rebuild it.");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the API description " + RESOURCE, e);
    }
  }
}
