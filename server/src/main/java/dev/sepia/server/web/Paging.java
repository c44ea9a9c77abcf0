package dev.sepia.server.web;

import io.javalin.http.Context;

/** The {@code skip} and {@code take} query parameters of list endpoints. */
public record Paging(int skip, int take) {
  public static final int DEFAULT_TAKE = 30;
  public static final int MAX_TAKE = 1000;

  public static Paging from(Context ctx) {
    int skip = parse(ctx, "skip", 0);
    int take = parse(ctx, "take", DEFAULT_TAKE);
    if (skip < 0 || take < 1 || take > MAX_TAKE) {
      throw new ApiException(
          400, "skip must be 0 or more, and take between 1 and " + MAX_TAKE + ".");
    }
    return new Paging(skip, take);
  }

  private static int parse(Context ctx, String name, int dflt) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return dflt;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ApiException(400, name + " must be a whole number.");
    }
  }
}
