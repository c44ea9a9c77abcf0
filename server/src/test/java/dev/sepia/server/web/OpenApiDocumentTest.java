package dev.sepia.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /api/openapi.json describes exactly the routes the server has: none missing, none invented,
 * each with the role it needs, the bodies it takes and secrets marked write-only.
 */
class OpenApiDocumentTest {
  static final Set<String> ROLES =
      Set.of("Anonymous", "SignedIn", "Viewer", "Deployer", "Administrator");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  @TempDir static Path temp;
  static RunningServer server;
  static String viewerKey;
  static String deployerKey;
  static JsonNode document;

  @BeforeAll
  static void start() {
    server = RunningServer.start(temp);
    viewerKey = server.userWithKey("vera", "Viewer", "viewer-password");
    deployerKey = server.userWithKey("dirk", "Deployer", "deployer-password");
    RunningServer.Response response = server.as(viewerKey, "GET", "/api/openapi.json", null);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    assertThat(response.body()).as("the document parses as JSON").isNotNull();
    document = response.body();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** "METHOD /path" → the operation, for every operation in the document. */
  static Map<String, JsonNode> operations(JsonNode document) {
    Map<String, JsonNode> out = new java.util.TreeMap<>();
    for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
        if (METHODS.contains(op.getKey())) {
          out.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
        }
      }
    }
    return out;
  }

  @Test
  void isOpenApi31AndNeedsSigningIn() {
    assertThat(document.get("openapi").asText()).startsWith("3.1");
    assertThat(document.at("/info/title").asText()).isNotBlank();
    assertThat(server.send("GET", "/api/openapi.json", null).status()).isEqualTo(401);
  }

  @Test
  void describesEveryRouteAndNoOther() {
    Set<String> routes = new TreeSet<>(server.routes());
    Set<String> documented = operations(document).keySet();
    assertThat(routes).as("routes the server has").contains("GET /api/openapi.json");

    Set<String> undocumented = new TreeSet<>(routes);
    undocumented.removeAll(documented);
    Set<String> invented = new TreeSet<>(documented);
    invented.removeAll(routes);
    assertThat(undocumented).as("routes missing from openapi.json").isEmpty();
    assertThat(invented).as("operations in openapi.json that the server does not have").isEmpty();
  }

  @Test
  void everyOperationSaysItsRoleSummaryAndResponses() {
    List<String> problems = new ArrayList<>();
    operations(document)
        .forEach(
            (route, op) -> {
              String role = op.path("x-sepia-role").asText("");
              if (!ROLES.contains(role)) {
                problems.add(route + ": x-sepia-role '" + role + "' is not one of " + ROLES);
              }
              if (op.path("summary").asText("").isBlank()) {
                problems.add(route + ": no summary");
              }
              if (!op.path("operationId").isTextual()) {
                problems.add(route + ": no operationId");
              }
              JsonNode responses = op.path("responses");
              boolean success = false;
              for (Map.Entry<String, JsonNode> code : responses.properties()) {
                success |= code.getKey().startsWith("2");
              }
              if (!success) {
                problems.add(route + ": no success response");
              }
              boolean anonymous = role.equals("Anonymous");
              if (!anonymous && !responses.has("401")) {
                problems.add(route + ": needs signing in but does not list 401");
              }
              if (anonymous != (op.has("security") && op.get("security").isEmpty())) {
                problems.add(route + ": security must be [] exactly when the role is Anonymous");
              }
              boolean changes = !route.startsWith("GET ");
              if (changes && !anonymous && !responses.has("403")) {
                problems.add(route + ": changes data (CSRF) but does not list 403");
              }
              if ((route.startsWith("POST ") || route.startsWith("PUT "))
                  && !route.endsWith("/cancel")
                  && !route.endsWith("/retry")
                  && !route.endsWith("/logout")
                  && !route.endsWith("/master-key-backup")
                  && !route.endsWith("/backups/run")
                  && !op.path("requestBody").has("content")) {
                problems.add(route + ": takes a JSON body but describes none");
              }
            });
    assertThat(problems).as("operations that are not fully described").isEmpty();
  }

  @Test
  void onlyHealthAndLoginAreAnonymous() {
    List<String> anonymous =
        operations(document).entrySet().stream()
            .filter(e -> e.getValue().path("x-sepia-role").asText().equals("Anonymous"))
            .map(Map.Entry::getKey)
            .toList();
    assertThat(anonymous).containsExactlyInAnyOrder("GET /api/health", "POST /api/users/login");
  }

  @Test
  void pathParametersAreDeclaredAsJavalinNamesThem() {
    Pattern param = Pattern.compile("\\{([^}]+)}");
    List<String> problems = new ArrayList<>();
    operations(document)
        .forEach(
            (route, op) -> {
              Set<String> inPath = new TreeSet<>();
              Matcher m = param.matcher(route);
              while (m.find()) {
                inPath.add(m.group(1));
              }
              Set<String> declared = new TreeSet<>();
              for (JsonNode p : op.path("parameters")) {
                if (p.path("in").asText().equals("path")) {
                  declared.add(p.get("name").asText());
                  if (!p.path("required").asBoolean()) {
                    problems.add(route + ": path parameter " + p.get("name") + " not required");
                  }
                }
              }
              if (!inPath.equals(declared)) {
                problems.add(route + ": path has " + inPath + ", parameters declare " + declared);
              }
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void everyReferenceResolves() {
    List<String> broken = new ArrayList<>();
    collectReferences(document, broken);
    assertThat(broken).as("$ref targets missing from the document").isEmpty();
  }

  private static void collectReferences(JsonNode node, List<String> broken) {
    if (node.isObject()) {
      JsonNode ref = node.get("$ref");
      if (ref != null
          && (!ref.asText().startsWith("#/")
              || document.at(ref.asText().substring(1)).isMissingNode())) {
        broken.add(ref.asText());
      }
      node.elements().forEachRemaining(child -> collectReferences(child, broken));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collectReferences(child, broken));
    }
  }

  @Test
  void listsArePagedAndFilterableByName() {
    for (String list :
        List.of(
            "/api/environments",
            "/api/lifecycles",
            "/api/projects",
            "/api/libraryvariablesets",
            "/api/machines",
            "/api/accounts",
            "/api/certificates",
            "/api/users")) {
      List<String> params = new ArrayList<>();
      for (JsonNode p : document.at("/paths/" + list.replace("/", "~1") + "/get/parameters")) {
        JsonNode resolved = p.has("$ref") ? document.at(p.get("$ref").asText().substring(1)) : p;
        params.add(resolved.get("name").asText());
      }
      assertThat(params).as("query parameters of GET " + list).contains("skip", "take", "name");
    }
  }

  @Test
  void securitySchemesAreTheApiKeyHeaderAndTheSessionCookieWithItsCsrfHeader() {
    JsonNode schemes = document.at("/components/securitySchemes");
    assertThat(schemes.at("/ApiKey/in").asText()).isEqualTo("header");
    assertThat(schemes.at("/ApiKey/name").asText()).isEqualTo(Authenticator.API_KEY_HEADER);
    assertThat(schemes.at("/Session/in").asText()).isEqualTo("cookie");
    assertThat(schemes.at("/Session/name").asText()).isEqualTo(Authenticator.SESSION_COOKIE);
    assertThat(schemes.at("/Csrf/name").asText()).isEqualTo(Authenticator.CSRF_HEADER);
    JsonNode error = document.at("/components/schemas/Error/properties");
    assertThat(error.at("/error/type").asText()).isEqualTo("string");
    assertThat(error.at("/details/items/type").asText()).isEqualTo("string");
  }

  @Test
  void secretsAreWriteOnlyInRequestsAndShownOnlyAsSet() {
    JsonNode schemas = document.at("/components/schemas");
    for (String secret :
        List.of(
            "LoginRequest/properties/password",
            "NewUserRequest/properties/password",
            "UserUpdateRequest/properties/password",
            "AccountRequest/properties/password",
            "AccountRequest/properties/privateKey",
            "AccountRequest/properties/passphrase",
            "AccountRequest/properties/token",
            "CertificateRequest/properties/certificateData",
            "CertificateRequest/properties/password",
            "MachineRequest/properties/offlineDrop/properties/password",
            "StepRequest/properties/sensitiveParameters")) {
      assertThat(schemas.at("/" + secret + "/writeOnly").asBoolean())
          .as(secret + " is writeOnly")
          .isTrue();
    }
    for (String shown :
        List.of(
            "Account/properties/password",
            "Account/properties/privateKey",
            "Account/properties/passphrase",
            "Account/properties/token",
            "Machine/properties/offlineDrop/properties/password",
            "Step/properties/sensitiveParameters/additionalProperties")) {
      assertThat(schemas.at("/" + shown + "/$ref").asText())
          .as(shown + " is shown as {isSet}")
          .isEqualTo("#/components/schemas/IsSet");
    }
  }

  @Test
  void theDocumentedRoleMatchesWhatTheServerEnforcesForASample() {
    Map<String, JsonNode> ops = operations(document);
    assertThat(ops.get("POST /api/environments").get("x-sepia-role").asText())
        .isEqualTo("Administrator");
    assertThat(server.as(deployerKey, "POST", "/api/environments", "{\"name\": \"X\"}").status())
        .isEqualTo(403);
    assertThat(ops.get("POST /api/deployments").get("x-sepia-role").asText()).isEqualTo("Deployer");
    assertThat(server.as(viewerKey, "POST", "/api/deployments", "{}").status()).isEqualTo(403);
    assertThat(server.as(deployerKey, "POST", "/api/deployments", "{}").status()).isEqualTo(400);
    assertThat(ops.get("GET /api/events").get("x-sepia-role").asText()).isEqualTo("Viewer");
    assertThat(server.as(viewerKey, "GET", "/api/events", null).status()).isEqualTo(200);
    // PermissionsTest checks every route this way.
  }
}
