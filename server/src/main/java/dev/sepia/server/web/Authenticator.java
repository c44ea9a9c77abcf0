package dev.sepia.server.web;

import dev.sepia.server.users.SessionStore;
import dev.sepia.server.users.User;
import dev.sepia.server.users.UserStore;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;

/**
 * Decides who is calling: an API key in the {@code X-Sepia-ApiKey} header, or a session cookie.
 * Cookie-authenticated requests that change state must carry the session's CSRF token in the {@code
 * X-Sepia-Csrf} header, so another site cannot make a signed-in browser act.
 */
final class Authenticator {
  static final String API_KEY_HEADER = "X-Sepia-ApiKey";
  static final String CSRF_HEADER = "X-Sepia-Csrf";
  static final String SESSION_COOKIE = "sepia-session";
  static final String USER_ATTRIBUTE = "sepia.user";
  static final String CSRF_ATTRIBUTE = "sepia.csrf";
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final UserStore users;
  private final SessionStore sessions;

  Authenticator(UserStore users, SessionStore sessions) {
    this.users = users;
    this.sessions = sessions;
  }

  /** Sets the caller on the context, or throws a 401/403 ApiException. */
  void authenticate(Context ctx) {
    String apiKey = ctx.header(API_KEY_HEADER);
    if (apiKey != null) {
      User user =
          users
              .authenticateApiKey(apiKey.trim())
              .orElseThrow(
                  () ->
                      new ApiException(
                          401,
                          "The API key is not valid. Create a new one for your user, and send it"
                              + " in the "
                              + API_KEY_HEADER
                              + " header."));
      ctx.attribute(USER_ATTRIBUTE, user);
      return;
    }
    Optional<SessionStore.ActiveSession> session = sessions.find(ctx.cookie(SESSION_COOKIE), users);
    if (session.isEmpty()) {
      throw new ApiException(
          401,
          "Sign in first: POST /api/users/login, or send an API key in the "
              + API_KEY_HEADER
              + " header.");
    }
    if (!SAFE_METHODS.contains(ctx.method().name())
        && !session.get().csrfToken().equals(ctx.header(CSRF_HEADER))) {
      throw new ApiException(
          403,
          "This request changes data but lacks the session's CSRF token in the "
              + CSRF_HEADER
              + " header (returned by POST /api/users/login).");
    }
    ctx.attribute(USER_ATTRIBUTE, session.get().user());
  }

  /**
   * For a page of the web UI: signs in from the session cookie only (pages are for browsers) and
   * keeps the session's CSRF token for the page to hand to its scripts. False when not signed in.
   */
  boolean authenticatePage(Context ctx) {
    Optional<SessionStore.ActiveSession> session = sessions.find(ctx.cookie(SESSION_COOKIE), users);
    if (session.isEmpty()) {
      return false;
    }
    ctx.attribute(USER_ATTRIBUTE, session.get().user());
    ctx.attribute(CSRF_ATTRIBUTE, session.get().csrfToken());
    return true;
  }

  static User caller(Context ctx) {
    return ctx.attribute(USER_ATTRIBUTE);
  }

  static String csrfToken(Context ctx) {
    return ctx.attribute(CSRF_ATTRIBUTE);
  }
}
