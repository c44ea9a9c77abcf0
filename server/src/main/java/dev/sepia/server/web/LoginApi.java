package dev.sepia.server.web;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.users.SessionStore;
import dev.sepia.server.users.User;
import dev.sepia.server.users.UserStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** POST /api/users/login and /api/users/logout: session sign-in with a cookie and CSRF token. */
final class LoginApi {
  private final UserStore users;
  private final SessionStore sessions;
  private final AuditLog audit;
  private final boolean secureCookies;

  LoginApi(UserStore users, SessionStore sessions, AuditLog audit, boolean secureCookies) {
    this.users = users;
    this.sessions = sessions;
    this.audit = audit;
    this.secureCookies = secureCookies;
  }

  void register(Javalin app) {
    app.post("/api/users/login", this::login);
    app.post("/api/users/logout", this::logout);
  }

  record LoginRequest(String username, String password) {
    @Override
    public String toString() {
      return "LoginRequest{username=" + username + ", password=<masked>}";
    }
  }

  private void login(Context ctx) {
    LoginRequest request =
        JsonBody.read(ctx, LoginRequest.class, "{\"username\": \"…\", \"password\": \"…\"}");
    if (blank(request.username()) || blank(request.password())) {
      throw new ApiException(
          400,
          "Both a username and a password are required.",
          List.of(
                  blank(request.username()) ? "username is missing" : "",
                  blank(request.password()) ? "password is missing" : "")
              .stream()
              .filter(s -> !s.isEmpty())
              .toList());
    }
    Optional<User> user = users.authenticate(request.username(), request.password().toCharArray());
    if (user.isEmpty()) {
      audit.record(
          "anonymous@" + ctx.ip(),
          "SignInFailed",
          "Failed sign-in for user '" + request.username() + "'");
      throw new ApiException(401, "Invalid username or password.");
    }
    SessionStore.NewSession session = sessions.start(user.get());
    audit.record(user.get().username(), "SignedIn", "Signed in from " + ctx.ip());
    long maxAge = Duration.between(java.time.Instant.now(), session.expiresAt()).toSeconds();
    ctx.header(
        "Set-Cookie",
        Authenticator.SESSION_COOKIE
            + "="
            + session.token()
            + "; Path=/; Max-Age="
            + maxAge
            + "; HttpOnly; SameSite=Strict"
            + (secureCookies ? "; Secure" : ""));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", WebServer.describe(user.get()));
    body.put("csrfToken", session.csrfToken());
    body.put("expiresAt", session.expiresAt().toString());
    ctx.json(body);
  }

  private void logout(Context ctx) {
    User user = Authenticator.caller(ctx);
    sessions.end(ctx.cookie(Authenticator.SESSION_COOKIE));
    ctx.header(
        "Set-Cookie",
        Authenticator.SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    audit.record(user.username(), "SignedOut", "Signed out");
    ctx.status(204);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
