package dev.sepia.server.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.Schema;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.users.UserStore;
import dev.sepia.server.web.ServerInfo;
import dev.sepia.server.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * The configuration endpoints (environments, lifecycles, projects, library variable sets) on a web
 * server of their own over a fresh H2 database, with an administrator's and a viewer's API key.
 * Every response is checked for the secrets registered with {@link #secret}.
 */
final class ConfigurationApiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private final Barrier barrier;
  private final WebServer web;
  private final String adminKey;
  private final String viewerKey;
  private final Set<String> secrets = ConcurrentHashMap.newKeySet();
  private final HttpClient http = HttpClient.newHttpClient();

  private ConfigurationApiServer(
      Database database, Barrier barrier, WebServer web, String adminKey, String viewerKey) {
    this.database = database;
    this.barrier = barrier;
    this.web = web;
    this.adminKey = adminKey;
    this.viewerKey = viewerKey;
  }

  static ConfigurationApiServer start(Path temp) {
    Database database = Database.open(TestDatabases.emptyDatabase(DatabaseKind.H2, temp), true);
    new Schema(database).migrate();
    Jdbi jdbi = database.jdbi();
    String adminKey =
        jdbi.inTransaction(
            h -> {
              UserStore.createOrResetAdministrator(h, "admin", null, null);
              return UserStore.issueApiKey(
                  h, UserStore.findByUsername(h, "admin").orElseThrow().id(), "tests");
            });
    String viewerKey =
        jdbi.inTransaction(
            h -> {
              h.createUpdate(
                      "INSERT INTO users (id, username, role, is_active, created_at)"
                          + " VALUES ('Users-viewer', 'viewer', 'VIEWER', TRUE, :now)")
                  .bind("now", Instant.now())
                  .execute();
              return UserStore.issueApiKey(h, "Users-viewer", "tests");
            });
    Barrier barrier = Barrier.unsealed(Keyring.of(SymmetricKey.generate()));
    WebServer web =
        new WebServer(
            URI.create("http://127.0.0.1:0"),
            jdbi,
            new ServerInfo("test", "Test", "node", "thumbprint", DatabaseKind.H2),
            List.of(
                new EnvironmentsApi(jdbi),
                new LifecyclesApi(jdbi),
                new ProjectsApi(jdbi, barrier),
                new LibraryVariableSetsApi(jdbi, barrier)));
    web.start();
    return new ConfigurationApiServer(database, barrier, web, adminKey, viewerKey);
  }

  Jdbi jdbi() {
    return database.jdbi();
  }

  Barrier barrier() {
    return barrier;
  }

  /** A value that no response may ever contain. */
  void secret(String value) {
    secrets.add(value);
  }

  /** The newest audit event's message. */
  String lastAudit() {
    return new AuditLog(jdbi()).latest(1).get(0).message();
  }

  record Response(int status, JsonNode body, String text) {
    JsonNode at(String pointer) {
      return body.at(pointer);
    }
  }

  Response get(String path) {
    return send(adminKey, HttpRequest.newBuilder(uri(path)).GET());
  }

  Response viewerGet(String path) {
    return send(viewerKey, HttpRequest.newBuilder(uri(path)).GET());
  }

  Response viewerPost(String path, Object body) {
    return send(viewerKey, HttpRequest.newBuilder(uri(path)).POST(json(body)));
  }

  Response post(String path, Object body) {
    return send(adminKey, HttpRequest.newBuilder(uri(path)).POST(json(body)));
  }

  Response put(String path, Object body) {
    return send(adminKey, HttpRequest.newBuilder(uri(path)).PUT(json(body)));
  }

  Response delete(String path) {
    return send(adminKey, HttpRequest.newBuilder(uri(path)).DELETE());
  }

  /** POSTs and expects 201; returns the new resource's id. */
  String create(String path, Object body) {
    Response response = post(path, body);
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return response.body().get("id").asText();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + web.port() + path);
  }

  private static HttpRequest.BodyPublisher json(Object body) {
    try {
      return HttpRequest.BodyPublishers.ofString(
          body instanceof String text ? text : JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response send(String key, HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request
                  .header("X-Sepia-ApiKey", key)
                  .header("Content-Type", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String text = response.body() == null ? "" : response.body();
      for (String secret : secrets) {
        assertThat(text).as("a response must never show a secret").doesNotContain(secret);
      }
      JsonNode body = text.isBlank() ? null : JSON.readTree(text);
      return new Response(response.statusCode(), body, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    web.close();
    database.close();
  }
}
