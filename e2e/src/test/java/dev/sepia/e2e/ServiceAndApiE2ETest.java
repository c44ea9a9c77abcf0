package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * One server, installed and started as a (background process) service, exercised over HTTP the way
 * a browser or an API client would, then stopped. The tests run in order against the same server;
 * the last one stops it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.SAME_THREAD)
class ServiceAndApiE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "correct horse battery";
  private static final String FIRST_PASSWORD = "first password";

  @TempDir static Path tmp;
  static TestDatabase db;
  static TestInstance shop;
  static String thumbprint;
  static String apiKey;
  static HttpClient http;
  static CliResult started;

  @BeforeAll
  static void installAndStartTheService() {
    SepiaServerCli machine = new SepiaServerCli(tmp.resolve("machineA"), tmp);
    db = Engine.H2.newDatabase(tmp);
    shop = TestInstance.withNewDatabase(machine, tmp, "Shop", db).listenOnFreePorts();
    shop.run("configure", "--serverNodeName", "node-e2e").succeeded();
    shop.run("admin", "--username", "alice", "--password", FIRST_PASSWORD).succeeded();
    // Resetting an existing user: only the new password may work from now on.
    shop.run("admin", "--username", "alice", "--password", PASSWORD).succeeded();
    Matcher key =
        Pattern.compile("API-[A-Z0-9]+")
            .matcher(
                shop.run("admin", "--username", "deploy-bot", "--apiKey").succeeded().stdout());
    assertThat(key.find()).isTrue();
    apiKey = key.group();
    // Read now: while the server runs it holds the H2 file.
    thumbprint = db.storedThumbprint();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    started = shop.run("service", "--install", "--start").succeeded();
  }

  @AfterAll
  static void stopAndRemoveTheService() {
    if (shop != null) {
      shop.run("service", "--stop", "--uninstall");
      shop.killServiceIfRunning();
    }
  }

  @Test
  @Order(1)
  void serviceStart_saysTheServiceIsRunningAndWhereToFindIt() {
    assertThat(started.stdout())
        .contains("Service sepia-server-Shop installed (process)")
        .contains("running")
        .contains(shop.url("").toString());
    assertThat(shop.run("service", "--status").succeeded().stdout())
        .startsWith("sepia-server-Shop: running");
  }

  @Test
  @Order(2)
  void health_answersHealthyWithoutCredentials() throws Exception {
    HttpResponse<String> health = get("/api/health");

    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(health.body());
    assertThat(body.get("status").asText()).isEqualTo("Healthy");
    assertThat(body.get("database").asText()).isEqualTo("Reachable");
  }

  @Test
  @Order(3)
  void serverStatus_withoutCredentials_isUnauthorizedWithAJsonError() throws Exception {
    assertUnauthorizedJson(get("/api/serverstatus"));
  }

  @Test
  @Order(4)
  void serverStatus_withTheApiKey_describesTheServer() throws Exception {
    HttpResponse<String> status = get("/api/serverstatus", "X-Sepia-ApiKey", apiKey);

    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(status.body());
    assertThat(body.get("version").asText()).isNotBlank();
    assertThat(body.get("instance").asText()).isEqualTo("Shop");
    assertThat(body.get("node").asText()).isEqualTo("node-e2e");
    assertThat(body.get("thumbprint").asText()).isEqualTo(thumbprint);
    assertThat(body.get("databaseKind").asText()).isEqualTo("H2");
  }

  @Test
  @Order(5)
  void serverStatus_withAnUnknownApiKey_isUnauthorized() throws Exception {
    assertUnauthorizedJson(get("/api/serverstatus", "X-Sepia-ApiKey", "API-" + "A".repeat(32)));
  }

  @Test
  @Order(6)
  void otherApiPaths_withoutCredentials_areUnauthorizedWithAJsonError() throws Exception {
    for (String path : List.of("/api/projects", "/api/machines", "/api/no-such-thing")) {
      assertUnauthorizedJson(get(path));
    }
  }

  @Test
  @Order(7)
  void login_withAWrongPassword_isRefused_includingThePasswordBeforeTheReset() throws Exception {
    for (String password : List.of("not the password", FIRST_PASSWORD)) {
      HttpResponse<String> refused = login("alice", password);

      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
      assertThat(JSON.readTree(refused.body()).get("error").asText())
          .isEqualTo("Invalid username or password.");
    }
  }

  @Test
  @Order(8)
  void session_fromLogin_works_needsItsCsrfTokenToLogOut_andEndsAtLogout() throws Exception {
    HttpResponse<String> login = login("alice", PASSWORD);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String cookie = sessionCookie(login);
    String csrf = JSON.readTree(login.body()).get("csrfToken").asText();
    assertThat(csrf).isNotBlank();

    assertThat(get("/api/serverstatus", "Cookie", cookie).statusCode()).isEqualTo(200);

    HttpResponse<String> noCsrf = post("/api/users/logout", "", "Cookie", cookie);
    assertThat(noCsrf.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(noCsrf.body()).get("error").asText()).contains("X-Sepia-Csrf");
    HttpResponse<String> wrongCsrf =
        post("/api/users/logout", "", "Cookie", cookie, "X-Sepia-Csrf", "not-" + csrf);
    assertThat(wrongCsrf.statusCode()).isEqualTo(403);
    assertThat(get("/api/serverstatus", "Cookie", cookie).statusCode())
        .as("the session survives refused logouts")
        .isEqualTo(200);

    HttpResponse<String> logout =
        post("/api/users/logout", "", "Cookie", cookie, "X-Sepia-Csrf", csrf);
    assertThat(logout.statusCode()).isEqualTo(204);
    assertUnauthorizedJson(get("/api/serverstatus", "Cookie", cookie));
  }

  /** Bad input is the client's mistake: 400 with a JSON error, never a 500. */
  @Test
  @Order(9)
  void login_withABodyThatIsNotJson_isABadRequest() throws Exception {
    HttpResponse<String> response = post("/api/users/login", "username=alice&password=x");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).get("error").asText()).isNotBlank();
  }

  @Test
  @Order(100)
  void serviceStop_stopsTheServer_andStatusSaysStopped() {
    shop.run("service", "--stop").succeeded();

    assertThatThrownBy(() -> get("/api/health"))
        .isInstanceOf(IOException.class)
        .satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(ConnectException.class));
    assertThat(shop.run("service", "--status").succeeded().stdout())
        .startsWith("sepia-server-Shop: not running");
    // The server has let go of the H2 file: its audit log shows what happened over HTTP.
    assertThat(db.rows("SELECT category FROM events"))
        .contains(List.of("SignedIn"), List.of("SignInFailed"), List.of("SignedOut"));
  }

  private static void assertUnauthorizedJson(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as(response.uri() + " " + response.body()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("error").asText()).isNotBlank();
    assertThat(body.get("details").isArray()).isTrue();
  }

  private static HttpResponse<String> login(String username, String password) throws Exception {
    String body =
        JSON.writeValueAsString(
            JSON.createObjectNode().put("username", username).put("password", password));
    return post("/api/users/login", body, "Content-Type", "application/json");
  }

  private static String sessionCookie(HttpResponse<String> response) {
    String setCookie =
        response.headers().allValues("Set-Cookie").stream()
            .filter(value -> value.startsWith("sepia-session="))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("No sepia-session cookie: " + response.headers()));
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    return send(HttpRequest.newBuilder(shop.url(path)).GET(), headers);
  }

  private static HttpResponse<String> post(String path, String body, String... headers)
      throws Exception {
    return send(
        HttpRequest.newBuilder(shop.url(path)).POST(HttpRequest.BodyPublishers.ofString(body)),
        headers);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, String... headers)
      throws Exception {
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
