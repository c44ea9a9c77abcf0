package dev.sepia.server.web;

import io.javalin.http.Context;

/** Reads a request's JSON body; anything that is not that JSON is a 400 that shows the shape. */
public final class JsonBody {
  private JsonBody() {}

  /**
   * @param example the expected shape, shown in the error (e.g. {"username": "…"})
   */
  public static <T> T read(Context ctx, Class<T> type, String example) {
    T value;
    try {
      value = ctx.bodyAsClass(type);
    } catch (Exception e) { // Jackson's parse errors arrive as checked exceptions, sneakily thrown.
      throw new ApiException(400, "The body must be JSON like " + example + ".");
    }
    if (value == null) {
      throw new ApiException(400, "The body must be JSON like " + example + ".");
    }
    return value;
  }
}
