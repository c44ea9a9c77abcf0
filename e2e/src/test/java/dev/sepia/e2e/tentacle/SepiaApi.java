package dev.sepia.e2e.tentacle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The parts of a running server's REST API these tests use, called with an API key as an operator's
 * script would: environments, targets ({@code /api/machines}), tasks and their logs, and the
 * server's status. Every response body it receives is kept, so a test can check what the API ever
 * showed (for example, that no secret was in it).
 */
public final class SepiaApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A health check waits up to 30 s for each polling Tentacle that is not connected; this leaves
   * room for that and a slow machine.
   */
  private static final Duration HEALTH_CHECK_TIMEOUT = Duration.ofSeconds(120);

  private final URI base;
  private final String apiKey;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> received = new CopyOnWriteArrayList<>();

  public SepiaApi(URI base, String apiKey) {
    this.base = base;
    this.apiKey = apiKey;
  }

  /** The thumbprint the server presents to Tentacles now ({@code GET /api/serverstatus}). */
  public String serverThumbprint() {
    return get("/api/serverstatus").path("thumbprint").asText();
  }

  /** {@code POST /api/environments}; returns the new environment's id. */
  public String createEnvironment(String name) {
    return post("/api/environments", Map.of("name", name)).path("id").asText();
  }

  /** {@code GET /api/machines/{id}}. */
  public JsonNode machine(String id) {
    return get("/api/machines/" + id);
  }

  /** The target with exactly this name; fails if there is none. */
  public JsonNode machineNamed(String name) {
    return named("machines", "target", name);
  }

  /** The environment with exactly this name; fails if there is none. */
  public JsonNode environmentNamed(String name) {
    return named("environments", "environment", name);
  }

  private JsonNode named(String collection, String what, String name) {
    JsonNode items =
        get("/api/" + collection + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8))
            .path("items");
    for (JsonNode item : items) {
      if (item.path("name").asText().equals(name)) {
        return item;
      }
    }
    throw new AssertionError("The server has no " + what + " named '" + name + "': " + items);
  }

  /** {@code POST /api/machines} with a listening target; returns its id. */
  public String addListeningTarget(String name, String thumbprint, URI uri) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("thumbprint", thumbprint);
    body.put("communicationStyle", "TentaclePassive");
    body.put("uri", uri.toString());
    body.put("environments", List.of("Production"));
    body.put("roles", List.of("web"));
    return post("/api/machines", body).path("id").asText();
  }

  /**
   * Queues a "Health" task for these targets and waits for it to finish, as an operator would after
   * fixing something.
   */
  public HealthCheck checkHealth(String... machineIds) {
    Map<String, Object> body =
        Map.of("name", "Health", "arguments", Map.of("machineIds", List.of(machineIds)));
    String taskId = post("/api/tasks", body).path("id").asText();
    JsonNode[] task = new JsonNode[1];
    Waits.until(
        HEALTH_CHECK_TIMEOUT,
        () -> "health check task " + taskId + " to complete; last seen: " + task[0],
        () -> {
          task[0] = get("/api/tasks/" + taskId);
          return task[0].path("isCompleted").asBoolean();
        });
    Map<String, JsonNode> machines = new LinkedHashMap<>();
    for (String id : machineIds) {
      machines.put(id, machine(id));
    }
    return new HealthCheck(task[0], text("/api/tasks/" + taskId + "/raw"), machines);
  }

  public JsonNode get(String path) {
    return json(send(HttpRequest.newBuilder(base.resolve(path)).GET()));
  }

  public JsonNode post(String path, Object body) {
    return json(send(withBody("POST", path, body)));
  }

  public JsonNode put(String path, Object body) {
    return json(send(withBody("PUT", path, body)));
  }

  /** Sends a JSON body and returns whatever the server answers, error or not. */
  public Response call(String method, String path, Object body) {
    HttpResponse<String> response = exchange(withBody(method, path, body));
    return new Response(response.statusCode(), response.body());
  }

  /** A response's text, e.g. a task's log ({@code /api/tasks/{id}/raw}). */
  public String text(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET()).body();
  }

  /**
   * Reads a server-sent-events stream (such as {@code /api/tasks/{id}/stream}) until the server
   * ends it, and returns its events in order.
   */
  public List<ServerSentEvent> events(String path, Duration timeout) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .header("X-Sepia-ApiKey", apiKey)
            .header("Accept", "text/event-stream")
            .timeout(timeout)
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Reading the event stream " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    received.add(response.body());
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return ServerSentEvent.parse(response.body());
  }

  /** Every response body received so far, in order. */
  public List<String> bodiesReceived() {
    return List.copyOf(received);
  }

  private HttpRequest.Builder withBody(String method, String path, Object body) {
    try {
      return HttpRequest.newBuilder(base.resolve(path))
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("Not JSON from " + response.uri() + ": " + response.body(), e);
    }
  }

  /** Sends the request and fails unless the answer is 2xx. */
  private HttpResponse<String> send(HttpRequest.Builder request) {
    HttpResponse<String> response = exchange(request);
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError(
          response.request().method()
              + " "
              + response.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return response;
  }

  private HttpResponse<String> exchange(HttpRequest.Builder request) {
    HttpRequest built = request.header("X-Sepia-ApiKey", apiKey).timeout(REQUEST_TIMEOUT).build();
    HttpResponse<String> response;
    try {
      response = http.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Calling " + built.method() + " " + built.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    received.add(response.body());
    return response;
  }

  /** An answer of any status. */
  public record Response(int status, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("Not JSON (" + status + "): " + body, e);
      }
    }
  }

  /**
   * A finished health check.
   *
   * @param task the task as {@code GET /api/tasks/{id}} shows it
   * @param log the task's log ({@code /raw})
   * @param machines each checked target by id, as it was right after the check
   */
  public record HealthCheck(JsonNode task, String log, Map<String, JsonNode> machines) {

    public JsonNode machine(String id) {
      JsonNode machine = machines.get(id);
      if (machine == null) {
        throw new AssertionError("Target " + id + " was not checked; checked: " + machines);
      }
      return machine;
    }

    /** {@code healthStatus} of the target. */
    public String status(String id) {
      return machine(id).path("healthStatus").asText();
    }

    public String connectivity(String id) {
      return machine(id).path("connectivity").asText();
    }

    public String reason(String id) {
      return machine(id).path("healthReason").asText();
    }

    @Override
    public String toString() {
      return "health check "
          + task.path("id").asText()
          + " ("
          + task.path("state").asText()
          + ")\n"
          + log;
    }
  }
}
