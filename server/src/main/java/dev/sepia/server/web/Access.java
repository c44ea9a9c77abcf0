package dev.sepia.server.web;

import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import io.javalin.http.Context;

/** Role checks for endpoints: Administrator ⊇ Deployer ⊇ Viewer. */
public final class Access {
  private Access() {}

  public static User require(Context ctx, Role minimum) {
    User user = Authenticator.caller(ctx);
    if (user == null) {
      throw new ApiException(401, "Sign in first.");
    }
    if (rank(user.role()) < rank(minimum)) {
      throw new ApiException(
          403,
          "This needs the "
              + minimum.displayName()
              + " role; user '"
              + user.username()
              + "' is a "
              + user.role().displayName()
              + ".");
    }
    return user;
  }

  /** The signed-in caller, or null. */
  public static User caller(Context ctx) {
    return Authenticator.caller(ctx);
  }

  /** The CSRF token of the caller's browser session (pages hand it to their scripts). */
  public static String csrfToken(Context ctx) {
    return Authenticator.csrfToken(ctx);
  }

  /** Whether the caller has at least this role. */
  public static boolean has(User user, Role minimum) {
    return user != null && rank(user.role()) >= rank(minimum);
  }

  private static int rank(Role role) {
    return switch (role) {
      case VIEWER -> 1;
      case DEPLOYER -> 2;
      case ADMINISTRATOR -> 3;
    };
  }
}
