package dev.sepia.server.users;

import dev.sepia.crypto.ApiKeys;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Web sessions. The browser holds a random token in an HttpOnly cookie; the database holds only its
 * hash, so a database dump cannot be replayed as a session. Each session has a CSRF token that
 * state-changing requests must echo in a header.
 */
public final class SessionStore {
  public static final Duration LIFETIME = Duration.ofHours(12);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbi jdbi;

  public SessionStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public record NewSession(String token, String csrfToken, Instant expiresAt) {
    @Override
    public String toString() {
      return "NewSession{<masked>, expiresAt=" + expiresAt + "}";
    }
  }

  public record ActiveSession(User user, String csrfToken) {}

  public NewSession start(User user) {
    String token = randomToken();
    String csrf = randomToken();
    Instant now = Instant.now();
    Instant expires = now.plus(LIFETIME);
    jdbi.useHandle(
        h -> {
          h.createUpdate("DELETE FROM user_sessions WHERE expires_at < :now")
              .bind("now", now)
              .execute();
          h.createUpdate(
                  "INSERT INTO user_sessions (token_hash, user_id, csrf_token, created_at,"
                      + " expires_at) VALUES (:hash, :user, :csrf, :now, :expires)")
              .bind("hash", ApiKeys.hash(token))
              .bind("user", user.id())
              .bind("csrf", csrf)
              .bind("now", now)
              .bind("expires", expires)
              .execute();
        });
    return new NewSession(token, csrf, expires);
  }

  public Optional<ActiveSession> find(String token, UserStore users) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    record Row(String userId, String csrf) {}
    Optional<Row> row =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT user_id, csrf_token FROM user_sessions"
                            + " WHERE token_hash = :hash AND expires_at > :now")
                    .bind("hash", ApiKeys.hash(token))
                    .bind("now", Instant.now())
                    .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2)))
                    .findOne());
    return row.flatMap(
        r ->
            users
                .findById(r.userId())
                .filter(User::active)
                .map(u -> new ActiveSession(u, r.csrf())));
  }

  public void end(String token) {
    if (token == null) {
      return;
    }
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM user_sessions WHERE token_hash = :hash")
                .bind("hash", ApiKeys.hash(token))
                .execute());
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
