package dev.sepia.server.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.server.users.Role;
import dev.sepia.server.users.UserStore;
import dev.sepia.server.web.api.ApiHarness.Response;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/users: users, roles, the last Administrator, and API keys. */
class UsersApiTest {
  static final String PASSWORD = "pw-MARKER-a8d1e";
  static final String NEW_PASSWORD = "pw-MARKER-reset-2c";

  @TempDir Path temp;
  ApiHarness api;

  @BeforeEach
  void start() {
    api = new ApiHarness(temp);
  }

  @AfterEach
  void noPasswordWasEverSentBackOrAudited() {
    try {
      assertThat(api.everyResponseAndEvent())
          .doesNotContain(PASSWORD, NEW_PASSWORD, "initial-password", "$argon2");
    } finally {
      api.close();
    }
  }

  static Map<String, Object> newUser(String username, String role) {
    Map<String, Object> body = new HashMap<>();
    body.put("username", username);
    body.put("password", PASSWORD);
    body.put("role", role);
    body.put("email", username + "@example.com");
    return body;
  }

  int userCount() {
    return api.jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one());
  }

  @Test
  void administratorCreatesListsAndChangesUsers_whoCanThenSignIn() {
    Response created = api.post(api.adminKey, "/api/users", newUser("jo", "Deployer"));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String id = created.body().get("id").asText();
    assertThat(created.body().get("role").asText()).isEqualTo("Deployer");
    assertThat(created.body().get("isActive").asBoolean()).isTrue();
    assertThat(created.body().has("password")).isFalse();
    assertThat(new UserStore(api.jdbi()).authenticate("jo", PASSWORD.toCharArray())).isPresent();

    Response list = api.get(api.adminKey, "/api/users?name=J");
    assertThat(list.body().get("totalResults").asInt()).isEqualTo(1);
    assertThat(list.body().at("/items/0/username").asText()).isEqualTo("jo");
    Response paged = api.get(api.adminKey, "/api/users?skip=1&take=2");
    assertThat(paged.body().get("items")).hasSize(2);
    assertThat(paged.body().get("totalResults").asInt()).isEqualTo(4);
    assertThat(api.get(api.adminKey, "/api/users/" + id).body().get("email").asText())
        .isEqualTo("jo@example.com");

    Map<String, Object> change = new HashMap<>();
    change.put("role", "viewer");
    change.put("isActive", false);
    change.put("password", NEW_PASSWORD);
    Response updated = api.put(api.adminKey, "/api/users/" + id, change);
    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    assertThat(updated.body().get("role").asText()).isEqualTo("Viewer");
    assertThat(updated.body().get("isActive").asBoolean()).isFalse();
    assertThat(updated.body().get("email").asText()).isEqualTo("jo@example.com");
    assertThat(new UserStore(api.jdbi()).authenticate("jo", NEW_PASSWORD.toCharArray())).isEmpty();
    api.put(api.adminKey, "/api/users/" + id, Map.of("isActive", true));
    assertThat(new UserStore(api.jdbi()).authenticate("jo", NEW_PASSWORD.toCharArray()))
        .isPresent();

    assertThat(api.delete(api.adminKey, "/api/users/" + id).status()).isEqualTo(204);
    assertThat(api.get(api.adminKey, "/api/users/" + id).status()).isEqualTo(404);
    assertThat(api.auditTrail())
        .contains(
            "UserCreated: Added user 'jo' (Deployer)",
            "UserUpdated: Updated user 'jo' (Viewer, deactivated, password reset)",
            "UserDeleted: Deleted user 'jo'");
  }

  @Test
  void badInput_isRefused_andNothingChanges() {
    int before = userCount();
    Map<String, Object> shortPassword = newUser("sam", "Viewer");
    shortPassword.put("password", "short7!");
    Response r = api.post(api.adminKey, "/api/users", shortPassword);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("details").toString()).contains("at least 8 characters");
    assertThat(r.text()).doesNotContain("short7!");
    assertThat(api.post(api.adminKey, "/api/users", newUser("sam", "Owner")).status())
        .isEqualTo(400);
    assertThat(api.post(api.adminKey, "/api/users", newUser("", "Viewer")).status()).isEqualTo(400);
    Map<String, Object> badEmail = newUser("sam", "Viewer");
    badEmail.put("email", "not-an-email");
    assertThat(api.post(api.adminKey, "/api/users", badEmail).status()).isEqualTo(400);
    assertThat(api.post(api.adminKey, "/api/users", newUser("VIEWER", "Viewer")).status())
        .isEqualTo(409);
    assertThat(userCount()).isEqualTo(before);

    String viewer = api.userId("viewer");
    assertThat(
            api.put(api.adminKey, "/api/users/" + viewer, Map.of("password", "1234567")).status())
        .isEqualTo(400);
    assertThat(api.put(api.adminKey, "/api/users/Users-none", Map.of("role", "Viewer")).status())
        .isEqualTo(404);
    assertThat(api.delete(api.adminKey, "/api/users/Users-none").status()).isEqualTo(404);
  }

  @Test
  void onlyAdministratorsManageUsers_butEveryoneSeesThemselves() {
    assertThat(api.get(api.deployerKey, "/api/users").status()).isEqualTo(403);
    assertThat(api.post(api.deployerKey, "/api/users", newUser("x", "Administrator")).status())
        .isEqualTo(403);
    String viewer = api.userId("viewer");
    assertThat(
            api.put(api.viewerKey, "/api/users/" + viewer, Map.of("role", "Administrator"))
                .status())
        .isEqualTo(403);
    assertThat(api.get(api.deployerKey, "/api/users/" + viewer).status()).isEqualTo(403);
    assertThat(api.delete(api.deployerKey, "/api/users/" + viewer).status()).isEqualTo(403);

    Response me = api.get(api.viewerKey, "/api/users/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.body().get("username").asText()).isEqualTo("viewer");
    assertThat(me.body().get("role").asText()).isEqualTo("Viewer");
    assertThat(api.get(null, "/api/users/me").status()).isEqualTo(401);
  }

  @Test
  void theLastActiveAdministrator_cannotBeDeletedDemotedOrDeactivated_norDeleteThemselves() {
    String admin = api.userId("admin");
    Response self = api.delete(api.adminKey, "/api/users/" + admin);
    assertThat(self.status()).isEqualTo(409);
    assertThat(self.body().get("error").asText()).contains("cannot delete yourself");
    Response demote = api.put(api.adminKey, "/api/users/" + admin, Map.of("role", "Deployer"));
    assertThat(demote.status()).isEqualTo(409);
    assertThat(demote.body().get("error").asText()).contains("last active Administrator");
    assertThat(api.put(api.adminKey, "/api/users/" + admin, Map.of("isActive", false)).status())
        .isEqualTo(409);
    assertThat(api.get(api.adminKey, "/api/users/me").body().get("role").asText())
        .isEqualTo("Administrator");

    // With a second Administrator, the first may step down; then the second is the last one.
    String otherKey = api.user("admin2", Role.ADMINISTRATOR);
    assertThat(api.put(api.adminKey, "/api/users/" + admin, Map.of("role", "Deployer")).status())
        .isEqualTo(200);
    assertThat(api.delete(otherKey, "/api/users/" + api.userId("admin2")).status()).isEqualTo(409);
    assertThat(api.delete(otherKey, "/api/users/" + admin).status()).isEqualTo(204);
  }

  @Test
  void aUserManagesTheirOwnApiKeys_aNewKeyWorks_andARevokedOneStops() {
    String viewer = api.userId("viewer");
    Response created =
        api.post(api.viewerKey, "/api/users/" + viewer + "/apikeys", Map.of("purpose", "laptop"));
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    String key = created.body().get("apiKey").asText();
    String keyId = created.body().get("id").asText();
    assertThat(key).startsWith("API-");

    assertThat(api.get(key, "/api/users/me").body().get("username").asText()).isEqualTo("viewer");
    Response keys = api.get(api.viewerKey, "/api/users/" + viewer + "/apikeys");
    assertThat(keys.body().get("totalResults").asInt()).isEqualTo(2);
    assertThat(keys.text()).doesNotContain(key).contains("laptop");
    assertThat(keys.body().get("items").findValuesAsText("purpose"))
        .containsExactly("tests", "laptop");
    String laptop = keys.body().get("items").get(1).get("lastUsedAt").asText();
    assertThat(laptop).isNotEqualTo("null");

    // Not someone else's keys, unless an Administrator.
    String deployer = api.userId("deployer");
    assertThat(api.get(api.viewerKey, "/api/users/" + deployer + "/apikeys").status())
        .isEqualTo(403);
    assertThat(
            api.post(api.viewerKey, "/api/users/" + deployer + "/apikeys", Map.of("purpose", "x"))
                .status())
        .isEqualTo(403);
    assertThat(api.get(api.adminKey, "/api/users/" + viewer + "/apikeys").status()).isEqualTo(200);
    assertThat(
            api.post(api.viewerKey, "/api/users/" + viewer + "/apikeys", Map.of("purpose", " "))
                .status())
        .isEqualTo(400);

    assertThat(api.delete(api.viewerKey, "/api/users/" + viewer + "/apikeys/" + keyId).status())
        .isEqualTo(204);
    assertThat(api.get(key, "/api/users/me").status()).isEqualTo(401);
    assertThat(api.delete(api.viewerKey, "/api/users/" + viewer + "/apikeys/" + keyId).status())
        .isEqualTo(404);
    assertThat(api.auditTrail())
        .contains(
            "ApiKeyCreated: Created API key 'laptop' for user 'viewer'",
            "ApiKeyDeleted: Revoked API key 'laptop' of user 'viewer'");
    assertThat(api.auditTrail().toString()).doesNotContain(key);

    // An Administrator revokes another user's key.
    Response forDeployer =
        api.post(api.adminKey, "/api/users/" + deployer + "/apikeys", Map.of("purpose", "ci"));
    String ciKey = forDeployer.body().get("apiKey").asText();
    assertThat(api.get(ciKey, "/api/users/me").body().get("username").asText())
        .isEqualTo("deployer");
    assertThat(
            api.delete(
                    api.adminKey,
                    "/api/users/" + deployer + "/apikeys/" + forDeployer.body().get("id").asText())
                .status())
        .isEqualTo(204);
    assertThat(api.get(ciKey, "/api/users/me").status()).isEqualTo(401);
  }

  @Test
  void aDeactivatedUsersKeysStopWorking() {
    String viewer = api.userId("viewer");
    assertThat(api.get(api.viewerKey, "/api/users/me").status()).isEqualTo(200);
    api.put(api.adminKey, "/api/users/" + viewer, Map.of("isActive", false));
    assertThat(api.get(api.viewerKey, "/api/users/me").status()).isEqualTo(401);
  }
}
