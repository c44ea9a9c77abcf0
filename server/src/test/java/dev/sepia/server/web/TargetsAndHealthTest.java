package dev.sepia.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.comms.contract.Capabilities;
import dev.sepia.comms.contract.ContractJson;
import dev.sepia.comms.contract.TentacleMethods;
import dev.sepia.comms.rpc.ListeningServer;
import dev.sepia.comms.rpc.PollingClient;
import dev.sepia.comms.rpc.RpcReply;
import dev.sepia.comms.rpc.RpcServices;
import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.comms.tls.TrustedThumbprints;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.server.TestServer;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets through the API, and health checks over real mutual TLS against stand-in Tentacles (the
 * comms layer with a capabilities service): healthy, refusing the server's certificate,
 * unreachable, and polling.
 */
class TargetsAndHealthTest {
  @TempDir static Path temp;
  static TestServer server;
  static final CertificateWithKey TENTACLE = Certificates.generateSelfSigned("Tentacle A");
  static final CertificateWithKey OTHER_TENTACLE = Certificates.generateSelfSigned("Tentacle B");

  @BeforeAll
  static void startServer() {
    server = TestServer.start(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    assertThat(server.post("/api/environments", Map.of("name", "Test")).status()).isEqualTo(201);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  static RpcServices capabilities() {
    return new RpcServices()
        .register(
            TentacleMethods.CAPABILITIES_GET,
            (params, body) ->
                RpcReply.of(
                    ContractJson.toTree(
                        new Capabilities("9.9.9", "Linux", List.of("bash"), TentacleMethods.ALL))));
  }

  static ListeningServer listeningTentacle(CertificateWithKey identity, String trustedServer)
      throws Exception {
    ListeningServer tentacle =
        new ListeningServer(
            new InetSocketAddress("127.0.0.1", 0),
            PinnedTls.context(
                identity,
                TrustedThumbprints.of(List.of(trustedServer)),
                "tentacle",
                TrustRejectionListener.LOG),
            capabilities());
    tentacle.start();
    return tentacle;
  }

  static Map<String, Object> target(
      String name, CertificateWithKey identity, String style, String uri) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("thumbprint", identity.thumbprint());
    body.put("communicationStyle", style);
    body.put("uri", uri);
    body.put("environments", List.of("Test"));
    body.put("roles", List.of("web"));
    return body;
  }

  JsonNode healthCheck(String machineId) {
    TestServer.Response queued =
        server.post(
            "/api/tasks",
            Map.of("name", "Health", "arguments", Map.of("machineIds", List.of(machineId))));
    assertThat(queued.status()).isEqualTo(201);
    server.awaitTask(queued.body().get("id").asText());
    return server.get("/api/machines/" + machineId).body();
  }

  @Test
  void badTarget_isRefusedWithEveryProblemListed() {
    TestServer.Response response =
        server.post(
            "/api/machines",
            Map.of("name", "", "thumbprint", "xyz", "communicationStyle", "Carrier pigeon"));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body().get("details").toString())
        .contains("name:")
        .contains("thumbprint:")
        .contains("communicationStyle:");
    assertThat(server.get("/api/machines?name=pigeon").body().get("totalResults").asInt()).isZero();
  }

  @Test
  void targetInAnUnknownEnvironment_isRefusedNamingIt() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "lost01");
    body.put("thumbprint", Certificates.generateSelfSigned("Tentacle D").thumbprint());
    body.put("communicationStyle", "TentacleActive");
    body.put("environments", List.of("Narnia"));
    TestServer.Response response = server.post("/api/machines", body);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body().get("details").toString())
        .contains("no environment named 'Narnia'")
        .contains("POST /api/environments");
    assertThat(server.get("/api/machines?name=lost01").body().get("totalResults").asInt()).isZero();
  }

  @Test
  void targetEnvironment_isStoredAsTheEnvironmentIsSpelled() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "case01");
    body.put("thumbprint", Certificates.generateSelfSigned("Tentacle C").thumbprint());
    body.put("communicationStyle", "TentacleActive");
    body.put("environments", List.of("tEST"));
    TestServer.Response response = server.post("/api/machines", body);
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.body().get("environments").toString()).isEqualTo("[\"Test\"]");
    server.delete("/api/machines/" + response.body().get("id").asText());
  }

  @Test
  void listeningTentacle_thatTrustsTheServer_isHealthy() throws Exception {
    try (ListeningServer tentacle = listeningTentacle(TENTACLE, server.thumbprint())) {
      TestServer.Response created =
          server.post(
              "/api/machines",
              target(
                  "healthy-web",
                  TENTACLE,
                  "TentaclePassive",
                  "https://127.0.0.1:" + tentacle.port() + "/"));
      assertThat(created.status()).isEqualTo(201);
      JsonNode machine = healthCheck(created.body().get("id").asText());
      assertThat(machine.get("healthStatus").asText()).isEqualTo("Healthy");
      assertThat(machine.get("connectivity").asText()).isEqualTo("Connected");
      assertThat(machine.get("agentVersion").asText()).isEqualTo("9.9.9");
    }
  }

  @Test
  void listeningTentacle_thatTrustsAnotherServer_isReportedWithTheFixCommand() throws Exception {
    String someOtherServer = Certificates.generateSelfSigned("Old server").thumbprint();
    try (ListeningServer tentacle = listeningTentacle(OTHER_TENTACLE, someOtherServer)) {
      TestServer.Response created =
          server.post(
              "/api/machines",
              target(
                  "refusing-web",
                  OTHER_TENTACLE,
                  "TentaclePassive",
                  "https://127.0.0.1:" + tentacle.port() + "/"));
      JsonNode machine = healthCheck(created.body().get("id").asText());
      assertThat(machine.get("healthStatus").asText()).isEqualTo("Unavailable");
      assertThat(machine.get("connectivity").asText()).isEqualTo("RefusesServerCertificate");
      assertThat(machine.get("healthReason").asText())
          .contains("configure --reset-trust --trust=" + server.thumbprint());
    }
  }

  @Test
  void listeningTentacle_thatIsDown_isUnreachableNotUntrusting() {
    int nothingThere = TestServer.freePort();
    CertificateWithKey identity = Certificates.generateSelfSigned("Tentacle C");
    TestServer.Response created =
        server.post(
            "/api/machines",
            target(
                "down-web",
                identity,
                "TentaclePassive",
                "https://127.0.0.1:" + nothingThere + "/"));
    JsonNode machine = healthCheck(created.body().get("id").asText());
    assertThat(machine.get("healthStatus").asText()).isEqualTo("Unavailable");
    assertThat(machine.get("connectivity").asText()).isEqualTo("Unreachable");
  }

  @Test
  void pollingTentacle_registeredAfterStart_connectsAndIsHealthy() throws Exception {
    CertificateWithKey identity = Certificates.generateSelfSigned("Polling D");
    TestServer.Response created =
        server.post("/api/machines", target("polling-worker", identity, "TentacleActive", null));
    assertThat(created.status()).isEqualTo(201);
    try (PollingClient poller =
        new PollingClient(
            URI.create("https://127.0.0.1:" + server.pollingPort() + "/"),
            identity,
            TrustedThumbprints.of(List.of(server.thumbprint())),
            capabilities(),
            2,
            TrustRejectionListener.LOG)) {
      poller.start();
      JsonNode machine = healthCheck(created.body().get("id").asText());
      assertThat(machine.get("healthStatus").asText()).isEqualTo("Healthy");
    }
  }

  @Test
  void duplicateTarget_isRefusedUnlessForced() {
    CertificateWithKey identity = Certificates.generateSelfSigned("Dup");
    Map<String, Object> body =
        target("dup-web", identity, "TentaclePassive", "https://10.0.0.9:10933/");
    assertThat(server.post("/api/machines", body).status()).isEqualTo(201);
    TestServer.Response again = server.post("/api/machines", body);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().get("error").asText()).contains("already exists").contains("--force");
    Map<String, Object> forced = new LinkedHashMap<>(body);
    forced.put("force", true);
    forced.put("roles", List.of("db"));
    TestServer.Response replaced = server.post("/api/machines", forced);
    assertThat(replaced.status()).isEqualTo(201);
    assertThat(replaced.body().get("roles").toString()).contains("db");
    assertThat(
            server
                .delete("/api/machines?thumbprint=" + identity.thumbprint().toLowerCase())
                .status())
        .isEqualTo(204);
    assertThat(server.get("/api/machines?name=dup-web").body().get("totalResults").asInt())
        .isZero();
  }
}
