package dev.sepia.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each role against every route the server has, driven by the role the API description gives it
 * (x-sepia-role): without credentials everything but GET /api/health answers 401 (and sign-in
 * without credentials does not succeed); a caller below the role gets 403; a caller with it gets
 * past the check. Ids in paths are ones that do not exist and bodies are empty, so an allowed
 * request ends in 400 or 404 and changes nothing. A session cookie without its CSRF token changes
 * nothing either.
 */
class PermissionsTest {
  private static final List<String> ROLES = List.of("Viewer", "Deployer", "Administrator");
  private static final Set<String> ANONYMOUS_ROUTES =
      Set.of("GET /api/health", "POST /api/users/login");

  @TempDir static Path temp;
  static RunningServer server;
  static Map<String, String> keys = new LinkedHashMap<>();
  static Map<String, String> documentedRoles = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    server = RunningServer.start(temp);
    keys.put("Viewer", server.userWithKey("vera", "Viewer", "viewer-password"));
    keys.put("Deployer", server.userWithKey("dirk", "Deployer", "deployer-password"));
    keys.put("Administrator", server.userWithKey("ada", "Administrator", "admin-password"));
    RunningServer.Response document = server.admin("GET", "/api/openapi.json", null);
    assertThat(document.status()).isEqualTo(200);
    OpenApiDocumentTest.operations(document.body())
        .forEach((route, op) -> documentedRoles.put(route, op.path("x-sepia-role").asText()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** The route with ids that name nothing; a user's keys are addressed as "me". */
  static String concretePath(String path) {
    return path.replace("/api/users/{id}/apikeys", "/api/users/me/apikeys")
        .replace("{keyId}", "ApiKeys-none")
        .replace("{projectId}", "Projects-none")
        .replace("{id}", "None-none");
  }

  static RunningServer.Response call(String route, String apiKey) {
    String method = route.substring(0, route.indexOf(' '));
    String path = concretePath(route.substring(route.indexOf(' ') + 1));
    return server.as(apiKey, method, path, method.equals("GET") ? null : "{}");
  }

  private static String row(
      String route, String caller, String expected, RunningServer.Response r) {
    String said = r.status() >= 400 || r.status() == 0 ? r.error() : "";
    return String.format(
        "%-48s %-28s expected %-12s got %3d  %s", route, caller, expected, r.status(), said);
  }

  private static int rank(String role) {
    return switch (role) {
      case "Anonymous" -> 0;
      case "SignedIn" -> 1;
      case "Viewer" -> 1;
      case "Deployer" -> 2;
      case "Administrator" -> 3;
      default -> throw new AssertionError("unknown role " + role);
    };
  }

  @Test
  void everyRouteHasADocumentedRole() {
    List<String> missing = new ArrayList<>();
    for (String route : server.routes()) {
      if (!OpenApiDocumentTest.ROLES.contains(documentedRoles.getOrDefault(route, ""))) {
        missing.add(route);
      }
    }
    assertThat(missing).as("routes without x-sepia-role in /api/openapi.json").isEmpty();
  }

  @Test
  void everyPage_withoutABrowserSession_leadsToTheSignInPage() {
    List<String> failures = new ArrayList<>();
    for (String route : server.pageRoutes()) {
      String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x");
      if (path.equals("/login")) {
        continue;
      }
      for (String key : new String[] {null, server.adminKey()}) {
        RunningServer.Response r =
            key == null
                ? server.send("GET", path, null)
                : server.send("GET", path, null, "X-Sepia-ApiKey", key);
        String location = r.headers().firstValue("Location").orElse("");
        if (r.status() != 302 || !location.startsWith("/login?next=")) {
          failures.add(
              route
                  + (key == null ? " anonymous" : " with an API key")
                  + " → "
                  + r.status()
                  + " "
                  + location);
        }
      }
    }
    assertThat(server.pageRoutes()).as("the web UI's pages").contains("GET /", "GET /projects");
    assertThat(failures).as("pages answering without a browser session").isEmpty();
  }

  @Test
  void withoutCredentialsOnlyHealthAnswers() {
    List<String> failures = new ArrayList<>();
    List<String> table = new ArrayList<>();
    for (String route : server.routes()) {
      RunningServer.Response r = call(route, null);
      String expected;
      boolean ok;
      if (route.equals("GET /api/health")) {
        expected = "200";
        ok = r.status() == 200;
      } else if (route.equals("POST /api/users/login")) {
        expected = "400/401";
        ok = r.status() == 400 || r.status() == 401;
      } else {
        expected = "401";
        ok = r.status() == 401;
      }
      String line = row(route, "anonymous", expected, r);
      table.add(line);
      if (!ok) {
        failures.add(line);
      }
    }
    assertThat(failures).as("anonymous callers:\n" + String.join("\n", table)).isEmpty();
    assertThat(documentedRoles)
        .as("the document marks exactly these routes Anonymous")
        .containsEntry("GET /api/health", "Anonymous")
        .containsEntry("POST /api/users/login", "Anonymous");
    documentedRoles.forEach(
        (route, role) -> {
          if (!ANONYMOUS_ROUTES.contains(route)) {
            assertThat(role).as(route).isNotEqualTo("Anonymous");
          }
        });
  }

  @Test
  void eachRoleGetsExactlyWhatTheDocumentSays() {
    List<String> failures = new ArrayList<>();
    List<String> table = new ArrayList<>();
    for (String route : server.routes()) {
      String required = documentedRoles.getOrDefault(route, "Administrator");
      if (required.equals("Anonymous")) {
        continue;
      }
      for (String caller : ROLES) {
        RunningServer.Response r = call(route, keys.get(caller));
        boolean allowed = rank(caller) >= rank(required);
        String expected = allowed ? "not 401/403" : "403";
        boolean ok =
            allowed
                ? r.status() != 401 && r.status() != 403 && r.status() < 500 && r.status() > 0
                : r.status() == 403;
        String line = row(route, caller + "(" + required + ")", expected, r);
        table.add(line);
        if (!ok) {
          failures.add(line);
        }
      }
    }
    assertThat(failures).as("callers by role:\n" + String.join("\n", table)).isEmpty();
  }

  @Test
  void aRefusedCallerChangesNothing() {
    long before = eventCount();
    RunningServer.Response viewer =
        server.as(keys.get("Viewer"), "POST", "/api/environments", "{\"name\": \"Refused\"}");
    RunningServer.Response deployer =
        server.as(
            keys.get("Deployer"),
            "POST",
            "/api/accounts",
            "{\"name\": \"Refused\", \"kind\": \"Token\", \"token\": \"t0ken-value\"}");
    assertThat(viewer.status()).as(viewer.text()).isEqualTo(403);
    assertThat(viewer.error()).contains("Administrator role").contains("vera");
    assertThat(deployer.status()).as(deployer.text()).isEqualTo(403);
    assertThat(totalResults("/api/environments?name=Refused")).isZero();
    assertThat(totalResults("/api/accounts?name=Refused")).isZero();
    assertThat(eventCount()).as("audit events").isEqualTo(before);
  }

  @Test
  void otherUsersApiKeysNeedTheAdministratorRole() {
    String adaId = userId("ada");
    RunningServer.Response viewer =
        server.as(keys.get("Viewer"), "GET", "/api/users/" + adaId + "/apikeys", null);
    RunningServer.Response deployer =
        server.as(
            keys.get("Deployer"),
            "POST",
            "/api/users/" + adaId + "/apikeys",
            "{\"purpose\": \"stolen\"}");
    assertThat(viewer.status()).as(viewer.text()).isEqualTo(403);
    assertThat(deployer.status()).as(deployer.text()).isEqualTo(403);
    assertThat(server.as(keys.get("Viewer"), "GET", "/api/users/me/apikeys", null).status())
        .isEqualTo(200);
    assertThat(server.admin("GET", "/api/users/" + adaId + "/apikeys", null).status())
        .isEqualTo(200);
  }

  @Test
  void aSessionWithoutItsCsrfTokenCannotChangeAnything() {
    RunningServer.Response login =
        server.send(
            "POST",
            "/api/users/login",
            "{\"username\": \"ada\", \"password\": \"admin-password\"}");
    assertThat(login.status()).as(login.text()).isEqualTo(200);
    String setCookie = login.header("Set-Cookie");
    assertThat(setCookie).startsWith(Authenticator.SESSION_COOKIE + "=").contains("HttpOnly");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = login.body().get("csrfToken").asText();

    // Reading needs no token.
    RunningServer.Response me = server.send("GET", "/api/users/me", null, "Cookie", cookie);
    assertThat(me.status()).as(me.text()).isEqualTo(200);
    assertThat(me.body().get("username").asText()).isEqualTo("ada");

    long before = eventCount();
    List<String> failures = new ArrayList<>();
    List<String> table = new ArrayList<>();
    for (String route : server.routes()) {
      String method = route.substring(0, route.indexOf(' '));
      if (method.equals("GET") || ANONYMOUS_ROUTES.contains(route)) {
        continue;
      }
      String path = concretePath(route.substring(route.indexOf(' ') + 1));
      for (String token : new String[] {null, "not-the-token"}) {
        RunningServer.Response r =
            token == null
                ? server.send(method, path, "{}", "Cookie", cookie)
                : server.send(method, path, "{}", "Cookie", cookie, "X-Sepia-Csrf", token);
        String caller = token == null ? "session" : "session+badCsrf";
        String line = row(route, caller, "403 CSRF", r);
        table.add(line);
        if (r.status() != 403 || !r.error().contains("CSRF")) {
          failures.add(line);
        }
      }
    }
    assertThat(failures).as("session without CSRF token:\n" + String.join("\n", table)).isEmpty();

    String environment = "{\"name\": \"Made with a session\"}";
    assertThat(server.send("POST", "/api/environments", environment, "Cookie", cookie).status())
        .isEqualTo(403);
    assertThat(eventCount()).as("audit events after refused session requests").isEqualTo(before);

    // With the token the same session may change things, and sign out.
    RunningServer.Response created =
        server.send(
            "POST", "/api/environments", environment, "Cookie", cookie, "X-Sepia-Csrf", csrf);
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    RunningServer.Response logout =
        server.send("POST", "/api/users/logout", null, "Cookie", cookie, "X-Sepia-Csrf", csrf);
    assertThat(logout.status()).as(logout.text()).isEqualTo(204);
    assertThat(server.send("GET", "/api/users/me", null, "Cookie", cookie).status())
        .as("the session after signing out")
        .isEqualTo(401);
  }

  @Test
  void aViewersSessionIsHeldToTheViewerRole() {
    RunningServer.Response login =
        server.send(
            "POST",
            "/api/users/login",
            "{\"username\": \"vera\", \"password\": \"viewer-password\"}");
    assertThat(login.status()).as(login.text()).isEqualTo(200);
    String setCookie = login.header("Set-Cookie");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = login.body().get("csrfToken").asText();
    RunningServer.Response r =
        server.send(
            "POST",
            "/api/environments",
            "{\"name\": \"Viewer's\"}",
            "Cookie",
            cookie,
            "X-Sepia-Csrf",
            csrf);
    assertThat(r.status()).as(r.text()).isEqualTo(403);
    assertThat(r.error()).contains("Administrator role");
  }

  @Test
  void wrongCredentialsAreRefused() {
    assertThat(server.as("not-a-key", "GET", "/api/environments", null).status()).isEqualTo(401);
    assertThat(
            server
                .send("GET", "/api/environments", null, "Cookie", "sepia-session=forged")
                .status())
        .isEqualTo(401);
    assertThat(
            server
                .send(
                    "POST",
                    "/api/users/login",
                    "{\"username\": \"ada\", \"password\": \"wrong-password\"}")
                .status())
        .isEqualTo(401);
  }

  private static long eventCount() {
    return totalResults("/api/events?take=1");
  }

  private static long totalResults(String list) {
    RunningServer.Response page = server.admin("GET", list, null);
    assertThat(page.status()).as(list + ": " + page.text()).isEqualTo(200);
    assertThat(page.body().has("totalResults")).as(list + ": " + page.text()).isTrue();
    return page.body().get("totalResults").asLong();
  }

  private static String userId(String username) {
    JsonNode page = server.admin("GET", "/api/users?name=" + username, null).body();
    for (JsonNode user : page.get("items")) {
      if (user.get("username").asText().equals(username)) {
        return user.get("id").asText();
      }
    }
    throw new AssertionError("no user " + username);
  }
}
