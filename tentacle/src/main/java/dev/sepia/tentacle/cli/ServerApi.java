package dev.sepia.tentacle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.tentacle.config.TentacleConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few calls of the server's REST API that register-with and deregister-from make, with the API
 * key in the {@code X-Sepia-ApiKey} header. Failures become messages that say what the server
 * answered and what to do.
 */
final class ServerApi {
  static final String API_KEY_HEADER = "X-Sepia-ApiKey";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI server;
  private final String apiKey;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  private ServerApi(URI server, String apiKey) {
    this.server = server;
    this.apiKey = apiKey;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Checks the {@code --server} and {@code --apiKey} values.
   *
   * @throws OperatorException (exit code 2) if either is unusable
   */
  static ServerApi connect(String serverUrl, String apiKey) {
    return new ServerApi(parseServerUrl(serverUrl), requireApiKey(apiKey));
  }

  static URI parseServerUrl(String text) {
    String value = text == null ? "" : text.trim();
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && uri.getQuery() == null
          && uri.getFragment() == null) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.endsWith("/")) {
          path = path.substring(0, path.length() - 1);
        }
        return new URI(scheme, null, uri.getHost(), uri.getPort(), path, null, null);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new OperatorException(
        "--server '"
            + text
            + "' is not the address of a Sepia server's web portal; give its URL, e.g."
            + " http://deploy.example.com:8050",
        2);
  }

  private static String requireApiKey(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) {
      throw new OperatorException(
          "--apiKey is empty. Create an API key for your user on the server and pass it with"
              + " --apiKey.",
          2);
    }
    return apiKey.trim();
  }

  URI server() {
    return server;
  }

  /** The server's certificate thumbprint, from {@code GET /api/serverstatus}. */
  String serverThumbprint() {
    JsonNode status = send("GET", "/api/serverstatus", null, null);
    JsonNode thumbprint = status.path("thumbprint");
    if (!thumbprint.isTextual()) {
      throw new OperatorException(
          "The server at "
              + server
              + " did not report its certificate thumbprint (GET /api/serverstatus). Is --server"
              + " the address of a Sepia server?");
    }
    try {
      return TentacleConfig.requireThumbprint(thumbprint.asText(), "The server's thumbprint");
    } catch (OperatorException e) {
      throw new OperatorException(
          "The server at "
              + server
              + " reported a thumbprint that is not valid: "
              + e.getMessage());
    }
  }

  /**
   * {@code POST /api/machines}; returns the created machine.
   *
   * @throws OperatorException on 409 with a hint to use --force
   */
  JsonNode registerMachine(ObjectNode body) {
    return send(
        "POST",
        "/api/machines",
        body,
        (status, error) ->
            status == 409
                ? "The server already has a machine with this name or this Tentacle's thumbprint: "
                    + error
                    + " Pass --force to replace that registration, or choose another --name."
                : null);
  }

  /** {@code DELETE /api/machines?thumbprint=…}. */
  void deregisterMachine(String thumbprint) {
    send(
        "DELETE",
        "/api/machines?thumbprint=" + URLEncoder.encode(thumbprint, StandardCharsets.UTF_8),
        null,
        (status, error) ->
            status == 404
                ? "The server at "
                    + server
                    + " has no machine with this Tentacle's thumbprint "
                    + thumbprint
                    + ": "
                    + error
                : null);
  }

  /** Turns a status code and the server's error text into a message, or null for the default. */
  @FunctionalInterface
  private interface Explainer {
    String explain(int status, String error);
  }

  private JsonNode send(String method, String pathAndQuery, JsonNode body, Explainer explainer) {
    URI uri = URI.create(server + pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header(API_KEY_HEADER, apiKey)
            .header("Accept", "application/json");
    try {
      if (body != null) {
        request
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        String text = response.body();
        return text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
      }
      String error = errorText(response.body());
      String explained = explainer == null ? null : explainer.explain(status, error);
      if (explained != null) {
        throw new OperatorException(explained);
      }
      if (status == 401 || status == 403) {
        throw new OperatorException(
            "The server at "
                + server
                + " refused the API key (HTTP "
                + status
                + "): "
                + error
                + " Create an API key for a user allowed to manage machines, and pass it with"
                + " --apiKey.");
      }
      throw new OperatorException(
          "The server at "
              + server
              + " answered HTTP "
              + status
              + " to "
              + method
              + " "
              + uri.getRawPath()
              + ": "
              + error);
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("the connection timed out");
    } catch (HttpTimeoutException e) {
      throw unreachable("it did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (ConnectException e) {
      throw unreachable(e.getMessage() == null ? "connection refused" : e.getMessage());
    } catch (IOException e) {
      throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException("Interrupted while calling the server at " + server + ".");
    }
  }

  private OperatorException unreachable(String why) {
    return new OperatorException(
        "Could not reach the Sepia server at "
            + server
            + ": "
            + why
            + ". Check --server (the web portal's address) and that the server is running.");
  }

  // The API's error body is {"error": "...", "details": [...]}; anything else is shown as is.
  private String errorText(String body) {
    if (body == null || body.isBlank()) {
      return "(no details)";
    }
    try {
      JsonNode node = json.readTree(body);
      if (node.path("error").isTextual()) {
        List<String> parts = new ArrayList<>();
        parts.add(node.get("error").asText());
        node.path("details").forEach(d -> parts.add(d.asText()));
        return String.join(" ", parts);
      }
    } catch (IOException e) {
      // not JSON
    }
    String text = body.strip();
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
