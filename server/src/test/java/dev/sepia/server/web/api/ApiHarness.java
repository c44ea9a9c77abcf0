package dev.sepia.server.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.users.Role;
import dev.sepia.server.users.UserStore;
import dev.sepia.server.web.ServerInfo;
import dev.sepia.server.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Jdbi;

/**
 * A web server with the account, certificate, user and event endpoints over a fresh H2 database,
 * with one signed-in user per role. Every response body is kept, so a test can check that no secret
 * was ever sent back.
 */
final class ApiHarness implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final Database database;
  final Barrier barrier = Barrier.unsealed(Keyring.of(SymmetricKey.generate()));
  final WebServer web;
  final String adminKey;
  final String deployerKey;
  final String viewerKey;
  final List<String> responses = new CopyOnWriteArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;

  ApiHarness(Path temp) {
    database = Database.open(TestDatabases.emptyDatabase(DatabaseKind.H2, temp), true);
    new Schema(database).migrate();
    adminKey = user("admin", Role.ADMINISTRATOR);
    deployerKey = user("deployer", Role.DEPLOYER);
    viewerKey = user("viewer", Role.VIEWER);
    port = freePort();
    Jdbi jdbi = database.jdbi();
    web =
        new WebServer(
            URI.create("http://127.0.0.1:" + port),
            jdbi,
            new ServerInfo("0.0.0-test", "Test", "node", "A".repeat(64), DatabaseKind.H2),
            List.of(
                new AccountsApi(jdbi, barrier),
                new CertificatesApi(jdbi, barrier),
                new UsersApi(jdbi),
                new EventsApi(jdbi)));
    web.start();
  }

  Jdbi jdbi() {
    return database.jdbi();
  }

  /** Creates a user with a password and an API key; returns the key. */
  String user(String username, Role role) {
    return jdbi()
        .inTransaction(
            h -> {
              String id =
                  UserStore.create(h, username, "initial-password".toCharArray(), role, null);
              return UserStore.issueApiKey(h, id, "tests");
            });
  }

  String userId(String username) {
    return new UserStore(jdbi()).findByUsername(username).orElseThrow().id();
  }

  record Response(int status, JsonNode body, String text) {}

  Response get(String key, String path) {
    return send(key, HttpRequest.newBuilder(uri(path)).GET());
  }

  Response post(String key, String path, Object body) {
    return send(key, HttpRequest.newBuilder(uri(path)).POST(json(body)));
  }

  Response put(String key, String path, Object body) {
    return send(key, HttpRequest.newBuilder(uri(path)).PUT(json(body)));
  }

  Response delete(String key, String path) {
    return send(key, HttpRequest.newBuilder(uri(path)).DELETE());
  }

  /** Audit messages and categories, newest first, straight from the database. */
  List<String> auditTrail() {
    return jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT category || ': ' || message FROM events ORDER BY id DESC")
                    .mapTo(String.class)
                    .list());
  }

  /** Every response body so far and every audit event: where a secret must never appear. */
  String everyResponseAndEvent() {
    return String.join("\n", responses) + "\n" + String.join("\n", auditTrail());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static HttpRequest.BodyPublisher json(Object body) {
    if (body instanceof String text) {
      return HttpRequest.BodyPublishers.ofString(text);
    }
    try {
      return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response send(String key, HttpRequest.Builder request) {
    try {
      if (key != null) {
        request.header("X-Sepia-ApiKey", key);
      }
      HttpResponse<String> response =
          http.send(
              request.header("Content-Type", "application/json").build(),
              HttpResponse.BodyHandlers.ofString());
      String text = response.body();
      responses.add(text);
      JsonNode body = text == null || text.isBlank() ? null : JSON.readTree(text);
      return new Response(response.statusCode(), body, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    web.close();
    database.close();
  }
}
