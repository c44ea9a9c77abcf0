package dev.sepia.server.users;

import dev.sepia.crypto.ApiKeys;
import dev.sepia.crypto.PasswordHasher;
import dev.sepia.server.store.NamedPages;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/** Users and their API keys. Passwords are Argon2id hashes; API keys are SHA-256 hashes. */
public final class UserStore {
  private static final RowMapper<User> USER =
      (rs, ctx) ->
          new User(
              rs.getString("id"),
              rs.getString("username"),
              rs.getString("email"),
              Role.valueOf(rs.getString("role")),
              rs.getBoolean("is_active"));

  private final Jdbi jdbi;

  public UserStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<User> findByUsername(String username) {
    return jdbi.withHandle(h -> findByUsername(h, username));
  }

  public static Optional<User> findByUsername(Handle h, String username) {
    return h.createQuery(
            "SELECT id, username, email, role, is_active FROM users"
                + " WHERE LOWER(username) = LOWER(:u)")
        .bind("u", username)
        .map(USER)
        .findOne();
  }

  public Optional<User> findById(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT id, username, email, role, is_active FROM users WHERE id = :id")
                .bind("id", id)
                .map(USER)
                .findOne());
  }

  /**
   * Creates an administrator, or resets an existing user to an active administrator. A null
   * password leaves the existing one (or none: an API-key-only service account).
   *
   * @return true when the user was created, false when an existing one was reset
   */
  public static boolean createOrResetAdministrator(
      Handle h, String username, char[] password, String email) {
    String hash = password == null ? null : PasswordHasher.hash(password);
    Optional<User> existing = findByUsername(h, username);
    if (existing.isPresent()) {
      h.createUpdate(
              "UPDATE users SET role = :role, is_active = TRUE,"
                  + " password_hash = COALESCE(:hash, password_hash),"
                  + " email = COALESCE(:email, email) WHERE id = :id")
          .bind("role", Role.ADMINISTRATOR.name())
          .bind("hash", hash)
          .bind("email", email)
          .bind("id", existing.get().id())
          .execute();
      return false;
    }
    h.createUpdate(
            "INSERT INTO users (id, username, email, password_hash, role, is_active, created_at)"
                + " VALUES (:id, :username, :email, :hash, :role, TRUE, :now)")
        .bind("id", "Users-" + UUID.randomUUID())
        .bind("username", username)
        .bind("email", email)
        .bind("hash", hash)
        .bind("role", Role.ADMINISTRATOR.name())
        .bind("now", Instant.now())
        .execute();
    return true;
  }

  /** The user whose password this is, if the user is active and the password is right. */
  public Optional<User> authenticate(String username, char[] password) {
    return jdbi.withHandle(
        h -> {
          Optional<String> hash =
              h.createQuery(
                      "SELECT password_hash FROM users WHERE LOWER(username) = LOWER(:u)"
                          + " AND is_active = TRUE")
                  .bind("u", username)
                  .mapTo(String.class)
                  .findOne();
          if (hash.isEmpty() || hash.get() == null) {
            // Spend the same time as a real check so user names cannot be probed by timing.
            PasswordHasher.verify(password, DUMMY_HASH);
            return Optional.empty();
          }
          return PasswordHasher.verify(password, hash.get())
              ? findByUsername(h, username)
              : Optional.empty();
        });
  }

  private static final String DUMMY_HASH = PasswordHasher.hash("not-a-password".toCharArray());

  /** Issues a new API key for the user; the key is returned once and stored only as a hash. */
  public static String issueApiKey(Handle h, String userId, String purpose) {
    String key = ApiKeys.generate();
    h.createUpdate(
            "INSERT INTO api_keys (id, user_id, key_hash, purpose, created_at)"
                + " VALUES (:id, :user, :hash, :purpose, :now)")
        .bind("id", "ApiKeys-" + UUID.randomUUID())
        .bind("user", userId)
        .bind("hash", ApiKeys.hash(key))
        .bind("purpose", purpose)
        .bind("now", Instant.now())
        .execute();
    return key;
  }

  /** The active user this API key belongs to. */
  public Optional<User> authenticateApiKey(String apiKey) {
    if (apiKey == null || !apiKey.startsWith("API-")) {
      return Optional.empty();
    }
    String hash = ApiKeys.hash(apiKey);
    return jdbi.withHandle(
        h -> {
          Optional<User> user =
              h.createQuery(
                      "SELECT u.id, u.username, u.email, u.role, u.is_active FROM api_keys k"
                          + " JOIN users u ON u.id = k.user_id"
                          + " WHERE k.key_hash = :hash AND u.is_active = TRUE")
                  .bind("hash", hash)
                  .map(USER)
                  .findOne();
          user.ifPresent(
              u ->
                  h.createUpdate("UPDATE api_keys SET last_used_at = :now WHERE key_hash = :hash")
                      .bind("now", Instant.now())
                      .bind("hash", hash)
                      .execute());
          return user;
        });
  }

  // ---- Administration of users and their API keys (the /api/users endpoints). ----

  private static final String USER_COLUMNS = "id, username, email, role, is_active";

  /** A page of users. */
  public record Page(List<User> items, int totalResults) {}

  /** Users ordered by name; {@code nameFilter} (case-insensitive contains) may be null. */
  public Page page(String nameFilter, int skip, int take) {
    NamedPages.Result<User> result =
        NamedPages.find(
            jdbi, "users", USER_COLUMNS, "username", "username", USER, nameFilter, skip, take);
    return new Page(result.items(), result.totalResults());
  }

  public static Optional<User> findById(Handle h, String id) {
    return h.createQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id = :id")
        .bind("id", id)
        .map(USER)
        .findOne();
  }

  /**
   * Creates an active user with this password (hashed here).
   *
   * @return the new user's id
   */
  public static String create(Handle h, String username, char[] password, Role role, String email) {
    String id = "Users-" + UUID.randomUUID();
    h.createUpdate(
            "INSERT INTO users (id, username, email, password_hash, role, is_active, created_at)"
                + " VALUES (:id, :username, :email, :hash, :role, TRUE, :now)")
        .bind("id", id)
        .bind("username", username)
        .bind("email", email)
        .bind("hash", password == null ? null : PasswordHasher.hash(password))
        .bind("role", role.name())
        .bind("now", Instant.now())
        .execute();
    return id;
  }

  /** Changes a user's role, email and whether they may sign in. */
  public static void update(Handle h, String id, Role role, String email, boolean active) {
    h.createUpdate(
            "UPDATE users SET role = :role, email = :email, is_active = :active WHERE id = :id")
        .bind("id", id)
        .bind("role", role.name())
        .bind("email", email)
        .bind("active", active)
        .execute();
  }

  /** Sets a new password and ends the user's web sessions, which the old one may have opened. */
  public static void resetPassword(Handle h, String id, char[] password) {
    h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
        .bind("id", id)
        .bind("hash", PasswordHasher.hash(password))
        .execute();
    h.createUpdate("DELETE FROM user_sessions WHERE user_id = :id").bind("id", id).execute();
  }

  /** Deletes the user; their API keys and sessions go with them. */
  public static void delete(Handle h, String id) {
    h.createUpdate("DELETE FROM api_keys WHERE user_id = :id").bind("id", id).execute();
    h.createUpdate("DELETE FROM user_sessions WHERE user_id = :id").bind("id", id).execute();
    h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute();
  }

  /**
   * The ids of the active administrators, their rows locked until the caller's transaction ends. A
   * change that could remove the last administrator decides on this list: two such changes at once
   * (each demoting the other) are then taken one after the other, and the second sees the first's
   * result instead of both seeing two administrators and leaving none.
   */
  public static List<String> lockActiveAdministrators(Handle h) {
    return h.createQuery(
            "SELECT id FROM users WHERE role = :role AND is_active = TRUE ORDER BY id FOR UPDATE")
        .bind("role", Role.ADMINISTRATOR.name())
        .mapTo(String.class)
        .list();
  }

  /** An API key as it can be listed: what it is for and when it was used, never the key. */
  public record ApiKeyInfo(String id, String purpose, Instant createdAt, Instant lastUsedAt) {}

  /** A newly issued key: the only time the key itself is seen. */
  public record IssuedApiKey(ApiKeyInfo info, String apiKey) {
    @Override
    public String toString() {
      return "IssuedApiKey{" + info + ", apiKey=<masked>}";
    }
  }

  public static List<ApiKeyInfo> apiKeys(Handle h, String userId) {
    return h.createQuery(
            "SELECT id, purpose, created_at, last_used_at FROM api_keys WHERE user_id = :user"
                + " ORDER BY created_at, id")
        .bind("user", userId)
        .map(
            (rs, ctx) ->
                new ApiKeyInfo(
                    rs.getString("id"),
                    rs.getString("purpose"),
                    rs.getTimestamp("created_at").toInstant(),
                    rs.getTimestamp("last_used_at") == null
                        ? null
                        : rs.getTimestamp("last_used_at").toInstant()))
        .list();
  }

  /** Issues a new API key, like {@link #issueApiKey}, and says which row it is. */
  public static IssuedApiKey createApiKey(Handle h, String userId, String purpose) {
    String key = ApiKeys.generate();
    String id = "ApiKeys-" + UUID.randomUUID();
    Instant now = Instant.now();
    h.createUpdate(
            "INSERT INTO api_keys (id, user_id, key_hash, purpose, created_at)"
                + " VALUES (:id, :user, :hash, :purpose, :now)")
        .bind("id", id)
        .bind("user", userId)
        .bind("hash", ApiKeys.hash(key))
        .bind("purpose", purpose)
        .bind("now", now)
        .execute();
    return new IssuedApiKey(new ApiKeyInfo(id, purpose, now, null), key);
  }

  /**
   * Revokes one of the user's API keys.
   *
   * @return the key's purpose, or empty if the user has no such key
   */
  public static Optional<String> deleteApiKey(Handle h, String userId, String keyId) {
    Optional<String> purpose =
        h.createQuery("SELECT purpose FROM api_keys WHERE id = :id AND user_id = :user")
            .bind("id", keyId)
            .bind("user", userId)
            .mapTo(String.class)
            .findOne();
    purpose.ifPresent(
        p ->
            h.createUpdate("DELETE FROM api_keys WHERE id = :id AND user_id = :user")
                .bind("id", keyId)
                .bind("user", userId)
                .execute());
    return purpose;
  }
}
