package dev.sepia.bench;

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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real Sepia server in this JVM, set up the way an operator would (create-instance, database
 * --create, configure), on an H2 file in {@code folder}, with an administrator's API key and a
 * small JSON client for its REST API on 127.0.0.1.
 *
 * <p>H2 is opened with {@code AUTO_SERVER=FALSE}: nothing but this JVM uses the database, and the
 * benchmark should open no listener beyond the ones it measures.
 */
final class BenchServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INSTANCE = "Bench";
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final ServerRuntime runtime;
  private final String apiKey;
  private final URI base;
  private final HttpClient http;

  private BenchServer(ServerRuntime runtime, String apiKey, int webPort) {
    this.runtime = runtime;
    this.apiKey = apiKey;
    this.base = URI.create("http://127.0.0.1:" + webPort);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  static BenchServer start(Path folder) {
    Map<String, String> env = Map.of("SEPIA_MACHINE_DIR", folder.resolve("machine").toString());
    String connectionString =
        "jdbc:h2:file:" + folder.resolve("db").resolve("sepia") + ";AUTO_SERVER=FALSE";
    int web = freeLoopbackPort();
    int comms = freeLoopbackPort();
    cli(
        env,
        "create-instance",
        "--instance",
        INSTANCE,
        "--config",
        folder.resolve("server.config.json").toString());
    cli(env, "database", "--connectionString", connectionString, "--create");
    cli(
        env,
        "configure",
        "--home",
        folder.resolve("home").toString(),
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
                    return UserStore.issueApiKey(h, userId, "benchmark");
                  });
    }
    ServerEnvironment environment = new ServerEnvironment(env);
    InstanceRecord record = environment.registry().resolve(INSTANCE);
    return new BenchServer(ServerRuntime.start(environment, record), key, web);
  }

  private static void cli(Map<String, String> env, String... args) {
    int exit = ServerMain.execute(env, args);
    if (exit != 0) {
      throw new IllegalStateException(
          "sepia-server " + String.join(" ", args) + " failed with exit code " + exit);
    }
  }

  /** A port free on 127.0.0.1 right now (the usual small race: nothing else here grabs ports). */
  static int freeLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String thumbprint() {
    return runtime.thumbprint();
  }

  int pollingPort() {
    return runtime.pollingPort();
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
  }

  JsonNode post(String path, Object body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).POST(json(body)), path);
  }

  JsonNode put(String path, Object body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).PUT(json(body)), path);
  }

  private static HttpRequest.BodyPublisher json(Object body) {
    try {
      return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode send(HttpRequest.Builder builder, String path) {
    HttpRequest request =
        builder
            .timeout(REQUEST_TIMEOUT)
            .header("X-Sepia-ApiKey", apiKey)
            .header("Content-Type", "application/json")
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            request.method()
                + " "
                + path
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted during " + path, e);
    }
  }

  @Override
  public void close() {
    try {
      runtime.close();
    } finally {
      http.shutdownNow();
    }
  }
}
