package dev.sepia.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.cli.ServerMain;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.startup.ServerRuntime;
import dev.sepia.server.store.Database;
import dev.sepia.server.users.UserStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/** A real server instance running in this JVM, with an administrator's API key, for API tests. */
public final class TestServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerRuntime runtime;
  private final String apiKey;
  private final int webPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> machineEnv;

  private TestServer(
      ServerRuntime runtime, String apiKey, int webPort, Map<String, String> machineEnv) {
    this.runtime = runtime;
    this.apiKey = apiKey;
    this.webPort = webPort;
    this.machineEnv = machineEnv;
  }

  /** Runs {@code sepia-server <args>} on this server's machine, as an operator would; must pass. */
  public void command(String... args) {
    run(machineEnv, args);
  }

  public static TestServer start(Path temp, String connectionString) {
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine").toString());
    Path config = temp.resolve("server.config.json");
    int web = freePort();
    int comms = freePort();
    run(env, "create-instance", "--instance", "Test", "--config", config.toString());
    run(env, "database", "--connectionString", connectionString, "--create");
    run(
        env,
        "configure",
        "--webListenPrefixes",
        "http://127.0.0.1:" + web,
        "--commsListenPort",
        Integer.toString(comms));
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
    return new TestServer(ServerRuntime.start(environment, record), key, web, env);
  }

  /**
   * A second server node on the database of a running one: another machine (its own machine folder
   * and config), given the master key as an operator would, with node name {@code node}.
   */
  public static TestServer secondNode(
      Path temp, String connectionString, String base64MasterKey, String node) {
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine").toString());
    Path config = temp.resolve("server.config.json");
    int web = freePort();
    int comms = freePort();
    run(env, "create-instance", "--instance", "Test", "--config", config.toString());
    run(env, "database", "--connectionString", connectionString, "--masterKey", base64MasterKey);
    run(
        env,
        "configure",
        "--webListenPrefixes",
        "http://127.0.0.1:" + web,
        "--commsListenPort",
        Integer.toString(comms),
        "--serverNodeName",
        node);
    String key;
    try (Database db = Database.open(connectionString, false)) {
      key =
          db.jdbi()
              .inTransaction(
                  h -> {
                    String userId = UserStore.findByUsername(h, "admin").orElseThrow().id();
                    return UserStore.issueApiKey(h, userId, "tests on " + node);
                  });
    }
    ServerEnvironment environment = new ServerEnvironment(env);
    InstanceRecord record = environment.registry().resolve("Test");
    return new TestServer(ServerRuntime.start(environment, record), key, web, env);
  }

  private static void run(Map<String, String> env, String... args) {
    assertThat(ServerMain.execute(env, args)).as(String.join(" ", args)).isZero();
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the server's web UI and API answer, e.g. http://127.0.0.1:43121. */
  public String baseUrl() {
    return "http://127.0.0.1:" + webPort;
  }

  public String thumbprint() {
    return runtime.thumbprint();
  }

  public int pollingPort() {
    return runtime.pollingPort();
  }

  public record Response(int status, JsonNode body, String text) {}

  public Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Response post(String path, Object body) {
    return send(HttpRequest.newBuilder(uri(path)).POST(json(body)));
  }

  public Response put(String path, Object body) {
    return send(HttpRequest.newBuilder(uri(path)).PUT(json(body)));
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + webPort + path);
  }

  private static HttpRequest.BodyPublisher json(Object body) {
    try {
      return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request
                  .header("X-Sepia-ApiKey", apiKey)
                  .header("Content-Type", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = null;
      String text = response.body();
      if (text != null && text.startsWith("{") || text != null && text.startsWith("[")) {
        body = JSON.readTree(text);
      }
      return new Response(response.statusCode(), body, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits for a task to finish and returns it. */
  public JsonNode awaitTask(String id) {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode task = get("/api/tasks/" + id).body();
      if (task.get("isCompleted").asBoolean()) {
        return task;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("Task " + id + " did not finish in 2 minutes");
  }

  @Override
  public void close() {
    runtime.close();
  }
}
