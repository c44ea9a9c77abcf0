package dev.sepia.server.web.api;

import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.User;
import dev.sepia.server.users.UserStore;
import dev.sepia.server.web.Access;
import dev.sepia.server.web.ApiException;
import dev.sepia.server.web.ApiModule;
import dev.sepia.server.web.JsonBody;
import dev.sepia.server.web.Paging;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * /api/users: users and their API keys. Administrators manage users; anyone signed in sees
 * themselves (/api/users/me) and manages their own API keys. The server always keeps at least one
 * active Administrator. Passwords and keys never appear in responses or the audit log (a new key is
 * shown once, to its creator).
 */
public final class UsersApi implements ApiModule {
  static final int MIN_PASSWORD_LENGTH = 8;
  static final int MAX_PASSWORD_LENGTH = 1000;

  private final Jdbi jdbi;
  private final UserStore store;

  public UsersApi(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.store = new UserStore(jdbi);
  }

  /** The request body of POST /api/users. */
  public record NewUserRequest(String username, String password, String role, String email) {
    @Override
    public String toString() {
      return "NewUserRequest{username=" + username + ", password=<masked>, role=" + role + "}";
    }
  }

  /** The request body of PUT /api/users/{id}; a null field is left as it is. */
  public record UserUpdateRequest(String role, String email, Boolean isActive, String password) {
    @Override
    public String toString() {
      return "UserUpdateRequest{role=" + role + ", isActive=" + isActive + ", password=<masked>}";
    }
  }

  /** The request body of POST /api/users/{id}/apikeys. */
  public record ApiKeyRequest(String purpose) {}

  @Override
  public void register(Javalin app) {
    // "me" before "{id}", so it is not taken for an id.
    app.get("/api/users/me", this::me);
    app.get("/api/users", this::list);
    app.get("/api/users/{id}", this::get);
    app.post("/api/users", this::create);
    app.put("/api/users/{id}", this::update);
    app.delete("/api/users/{id}", this::delete);
    app.get("/api/users/{id}/apikeys", this::listKeys);
    app.post("/api/users/{id}/apikeys", this::createKey);
    app.delete("/api/users/{id}/apikeys/{keyId}", this::deleteKey);
  }

  private void me(Context ctx) {
    User user = Access.require(ctx, Role.VIEWER);
    ctx.json(describe(store.findById(user.id()).orElse(user)));
  }

  private void list(Context ctx) {
    Access.require(ctx, Role.ADMINISTRATOR);
    Paging paging = Paging.from(ctx);
    UserStore.Page page = store.page(ctx.queryParam("name"), paging.skip(), paging.take());
    ctx.json(
        PagedResponse.of(
            page.items().stream().map(UsersApi::describe).toList(), page.totalResults(), paging));
  }

  private void get(Context ctx) {
    Access.require(ctx, Role.ADMINISTRATOR);
    ctx.json(describe(existing(ctx.pathParam("id"))));
  }

  private void create(Context ctx) {
    User caller = Access.require(ctx, Role.ADMINISTRATOR);
    NewUserRequest request =
        JsonBody.read(
            ctx,
            NewUserRequest.class,
            "{\"username\": \"jo\", \"password\": \"…\", \"role\":"
                + " \"Administrator|Deployer|Viewer\", \"email\": \"jo@example.com\"}");
    List<String> problems = new ArrayList<>();
    String username = request.username() == null ? "" : request.username().trim();
    if (username.isEmpty() || username.length() > 200) {
      problems.add("username: required, at most 200 characters");
    }
    checkPassword(request.password(), true, problems);
    Role role = role(request.role(), true, problems);
    String email = email(request.email(), problems);
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The user is not valid.", problems);
    }
    char[] password = request.password().toCharArray();
    String id;
    try {
      id =
          jdbi.inTransaction(
              h -> {
                UserStore.findByUsername(h, username)
                    .ifPresent(
                        u -> {
                          throw new ApiException(
                              409, "A user named '" + u.username() + "' already exists.");
                        });
                String newId = UserStore.create(h, username, password, role, email);
                AuditLog.record(
                    h,
                    caller.username(),
                    "UserCreated",
                    "Added user '" + username + "' (" + role.displayName() + ")");
                return newId;
              });
    } finally {
      Arrays.fill(password, '\0');
    }
    ctx.status(201).json(describe(existing(id)));
  }

  private void update(Context ctx) {
    User caller = Access.require(ctx, Role.ADMINISTRATOR);
    User current = existing(ctx.pathParam("id"));
    UserUpdateRequest request =
        JsonBody.read(
            ctx,
            UserUpdateRequest.class,
            "{\"role\": \"Administrator|Deployer|Viewer\", \"email\": \"…\", \"isActive\": true,"
                + " \"password\": \"(optional: a new password)\"}");
    List<String> problems = new ArrayList<>();
    Role role = request.role() == null ? current.role() : role(request.role(), true, problems);
    String email = request.email() == null ? current.email() : email(request.email(), problems);
    boolean active = request.isActive() == null ? current.active() : request.isActive();
    checkPassword(request.password(), false, problems);
    if (!problems.isEmpty()) {
      throw new ApiException(400, "The change is not valid.", problems);
    }
    char[] password = request.password() == null ? null : request.password().toCharArray();
    try {
      jdbi.useTransaction(
          h -> {
            List<String> administrators = UserStore.lockActiveAdministrators(h);
            boolean losesAdministration =
                administrators.contains(current.id()) && (role != Role.ADMINISTRATOR || !active);
            if (losesAdministration && administrators.size() <= 1) {
              throw new ApiException(
                  409,
                  "'"
                      + current.username()
                      + "' is the last active Administrator; the server must keep one. Make"
                      + " another user an active Administrator first.");
            }
            UserStore.update(h, current.id(), role, email, active);
            if (password != null) {
              UserStore.resetPassword(h, current.id(), password);
            }
            AuditLog.record(
                h,
                caller.username(),
                "UserUpdated",
                "Updated user '"
                    + current.username()
                    + "' ("
                    + role.displayName()
                    + (active ? ", active" : ", deactivated")
                    + (password != null ? ", password reset" : "")
                    + ")");
          });
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
    ctx.json(describe(existing(current.id())));
  }

  private void delete(Context ctx) {
    User caller = Access.require(ctx, Role.ADMINISTRATOR);
    User target = existing(ctx.pathParam("id"));
    if (target.id().equals(caller.id())) {
      throw new ApiException(
          409, "You cannot delete yourself. Ask another Administrator to do it.");
    }
    jdbi.useTransaction(
        h -> {
          List<String> administrators = UserStore.lockActiveAdministrators(h);
          if (administrators.contains(target.id()) && administrators.size() <= 1) {
            throw new ApiException(
                409,
                "'"
                    + target.username()
                    + "' is the last active Administrator; the server must keep one.");
          }
          UserStore.delete(h, target.id());
          AuditLog.record(
              h, caller.username(), "UserDeleted", "Deleted user '" + target.username() + "'");
        });
    ctx.status(204);
  }

  private void listKeys(Context ctx) {
    User owner = keyOwner(ctx);
    Paging paging = Paging.from(ctx);
    List<UserStore.ApiKeyInfo> keys = jdbi.withHandle(h -> UserStore.apiKeys(h, owner.id()));
    List<Map<String, Object>> items =
        keys.stream()
            .skip(paging.skip())
            .limit(paging.take())
            .map(k -> describe(k, owner))
            .toList();
    ctx.json(PagedResponse.of(items, keys.size(), paging));
  }

  private void createKey(Context ctx) {
    User caller = Access.require(ctx, Role.VIEWER);
    User owner = keyOwner(ctx);
    ApiKeyRequest request =
        JsonBody.read(ctx, ApiKeyRequest.class, "{\"purpose\": \"build server\"}");
    String purpose = request.purpose() == null ? "" : request.purpose().trim();
    if (purpose.isEmpty() || purpose.length() > 200) {
      throw new ApiException(
          400,
          "The API key is not valid.",
          List.of("purpose: required, at most 200 characters (what the key is for)"));
    }
    UserStore.IssuedApiKey issued =
        jdbi.inTransaction(
            h -> {
              UserStore.IssuedApiKey key = UserStore.createApiKey(h, owner.id(), purpose);
              AuditLog.record(
                  h,
                  caller.username(),
                  "ApiKeyCreated",
                  "Created API key '" + purpose + "' for user '" + owner.username() + "'");
              return key;
            });
    Map<String, Object> body = describe(issued.info(), owner);
    body.put("apiKey", issued.apiKey());
    ctx.status(201).json(body);
  }

  private void deleteKey(Context ctx) {
    User caller = Access.require(ctx, Role.VIEWER);
    User owner = keyOwner(ctx);
    String keyId = ctx.pathParam("keyId");
    jdbi.useTransaction(
        h -> {
          String purpose =
              UserStore.deleteApiKey(h, owner.id(), keyId)
                  .orElseThrow(
                      () ->
                          new ApiException(
                              404,
                              "User '"
                                  + owner.username()
                                  + "' has no API key with id "
                                  + keyId
                                  + "."));
          AuditLog.record(
              h,
              caller.username(),
              "ApiKeyDeleted",
              "Revoked API key '" + purpose + "' of user '" + owner.username() + "'");
        });
    ctx.status(204);
  }

  /** The user whose keys are addressed: oneself, or anyone for an Administrator. */
  private User keyOwner(Context ctx) {
    User caller = Access.require(ctx, Role.VIEWER);
    String id = ctx.pathParam("id");
    if (caller.id().equals(id) || "me".equals(id)) {
      return existing(caller.id());
    }
    if (caller.role() != Role.ADMINISTRATOR) {
      throw new ApiException(
          403,
          "You may manage only your own API keys (/api/users/"
              + caller.id()
              + "/apikeys); other users' keys need the Administrator role.");
    }
    return existing(id);
  }

  private User existing(String id) {
    return store
        .findById(id)
        .orElseThrow(() -> new ApiException(404, "There is no user with id " + id + "."));
  }

  private static void checkPassword(String password, boolean required, List<String> problems) {
    if (password == null) {
      if (required) {
        problems.add("password: required, at least " + MIN_PASSWORD_LENGTH + " characters");
      }
      return;
    }
    if (password.length() < MIN_PASSWORD_LENGTH) {
      problems.add("password: at least " + MIN_PASSWORD_LENGTH + " characters");
    } else if (password.length() > MAX_PASSWORD_LENGTH) {
      problems.add("password: at most " + MAX_PASSWORD_LENGTH + " characters");
    }
  }

  private static Role role(String text, boolean required, List<String> problems) {
    if (text != null) {
      String wanted = text.trim().toLowerCase(Locale.ROOT);
      for (Role role : Role.values()) {
        if (role.displayName().toLowerCase(Locale.ROOT).equals(wanted)) {
          return role;
        }
      }
    }
    if (required || text != null) {
      problems.add("role: one of Administrator, Deployer, Viewer");
    }
    return null;
  }

  private static String email(String text, List<String> problems) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String email = text.trim();
    if (email.length() > 320 || email.indexOf('@') < 1 || email.endsWith("@")) {
      problems.add("email: not an email address (name@domain)");
    }
    return email;
  }

  static Map<String, Object> describe(User user) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", user.id());
    out.put("username", user.username());
    out.put("email", user.email());
    out.put("role", user.role().displayName());
    out.put("isActive", user.active());
    return out;
  }

  private static Map<String, Object> describe(UserStore.ApiKeyInfo key, User owner) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", key.id());
    out.put("userId", owner.id());
    out.put("purpose", key.purpose());
    out.put("createdAt", key.createdAt().toString());
    out.put("lastUsedAt", key.lastUsedAt() == null ? null : key.lastUsedAt().toString());
    return out;
  }
}
