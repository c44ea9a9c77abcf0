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

  private static int rank(Role role) {
    return switch (role) {
      case VIEWER -> 1;
      case DEPLOYER -> 2;
      case ADMINISTRATOR -> 3;
    };
  }
}
