package dev.sepia.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.TestServer;
import dev.sepia.server.cli.ServerMain;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.startup.ServerRuntime;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.users.UserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A whole server, started the way the {@code run} command starts it (every API module), over H2,
 * with an administrator's API key. Unlike {@link TestServer} it shows the routes the web server
 * registered, and sends any request with any headers (or none), so tests can act as anyone.
 */
final class RunningServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ServerRuntime runtime;
  private final String adminKey;
  private final int webPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private RunningServer(ServerRuntime runtime, String adminKey, int webPort) {
    this.runtime = runtime;
    this.adminKey = adminKey;
    this.webPort = webPort;
  }

  static RunningServer start(Path temp) {
    String connectionString = TestDatabases.emptyDatabase(DatabaseKind.H2, temp);
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine").toString());
    int web = TestServer.freePort();
    run(
        env,
        "create-instance",
        "--instance",
        "Test",
        "--config",
        temp.resolve("server.config.json").toString());
    run(env, "database", "--connectionString", connectionString, "--create");
    run(
        env,
        "configure",
        "--webListenPrefixes",
        "http://127.0.0.1:" + web,
        "--commsListenPort",
        Integer.toString(TestServer.freePort()));
    String key;
    try (Database db = Database.open(connectionString, false)) {
      key =
          db.jdbi()
              .inTransaction(
                  h -> {
                    UserStore.createOrResetAdministrator(h, "admin", null, null);
                    String userId = UserStore.findByUsername(h, "admin").orElseThrow().id();
                    return UserStore.issueApiKey(h, userId, "tests");
                  });
    }
    ServerEnvironment environment = new ServerEnvironment(env);
    InstanceRecord record = environment.registry().resolve("Test");
    return new RunningServer(ServerRuntime.start(environment, record), key, web);
  }

  private static void run(Map<String, String> env, String... args) {
    assertThat(ServerMain.execute(env, args)).as(String.join(" ", args)).isZero();
  }

  /** The REST API's routes ("GET /api/…"); the web UI's pages are {@link #pageRoutes()}. */
  List<String> routes() {
    return runtime.routes().stream().filter(r -> r.contains(" /api/")).toList();
  }

  /** The web UI's pages ("GET /projects/{id}", …). */
  List<String> pageRoutes() {
    return runtime.routes().stream().filter(r -> !r.contains(" /api/")).toList();
  }

  String adminKey() {
    return adminKey;
  }

  /** A response; status 0 when the server sent no complete answer within the timeout. */
  record Response(int status, JsonNode body, String text, HttpHeaders headers) {
    String error() {
      return body != null && body.has("error") ? body.get("error").asText() : text;
    }

    String header(String name) {
      return headers == null ? null : headers.firstValue(name).orElse(null);
    }
  }

  /**
   * Sends a request.
   *
   * @param headers header name/value pairs, e.g. "X-Sepia-ApiKey", key
   * @param body a JSON text, or null for no body
   */
  Response send(String method, String path, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + path))
            .timeout(TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      JsonNode json = null;
      if (text != null && (text.startsWith("{") || text.startsWith("["))) {
        json = JSON.readTree(text);
      }
      return new Response(response.statusCode(), json, text, response.headers());
    } catch (HttpTimeoutException e) {
      return new Response(0, null, "(no complete response in " + TIMEOUT + ")", null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A request with an API key (or none, when {@code apiKey} is null). */
  Response as(String apiKey, String method, String path, String body) {
    return apiKey == null
        ? send(method, path, body)
        : send(method, path, body, "X-Sepia-ApiKey", apiKey);
  }

  Response admin(String method, String path, Object body) {
    try {
      return as(adminKey, method, path, body == null ? null : JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a user with a password and returns an API key for it, both through the API. */
  String userWithKey(String username, String role, String password) {
    Response user =
        admin(
            "POST", "/api/users", Map.of("username", username, "password", password, "role", role));
    assertThat(user.status()).as(user.text()).isEqualTo(201);
    Response key =
        admin(
            "POST",
            "/api/users/" + user.body().get("id").asText() + "/apikeys",
            Map.of("purpose", "permission tests"));
    assertThat(key.status()).as(key.text()).isEqualTo(201);
    return key.body().get("apiKey").asText();
  }

  @Override
  public void close() {
    runtime.close();
  }
}
