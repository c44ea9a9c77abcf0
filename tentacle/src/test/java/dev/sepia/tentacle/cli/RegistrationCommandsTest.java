package dev.sepia.tentacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.crypto.MachineKey;
import dev.sepia.platform.config.ConfigFile;
import dev.sepia.tentacle.config.TentacleConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** register-with and deregister-from against a fake server that records every request. */
class RegistrationCommandsTest {
  static final String SERVER_THUMBPRINT = "5E".repeat(32);
  static final String API_KEY = "API-TESTKEY123";

  static final CertificateWithKey IDENTITY = Certificates.generateSelfSigned("Sepia Tentacle");

  @TempDir Path dir;
  TentacleCli cli;
  Path config;
  String tentacleThumbprint;
  HttpServer server;
  String serverUrl;
  final List<Recorded> requests = new CopyOnWriteArrayList<>();
  volatile int machinesStatus = 201;
  volatile String machinesBody = "{\"id\": \"Machines-7\", \"name\": \"web01\"}";

  record Recorded(String method, String uri, String apiKey, String contentType, String body) {}

  @BeforeEach
  void setUp() throws IOException {
    cli = new TentacleCli(dir.resolve("machine"));
    config = cli.createInstance("Web01", dir);
    // Set directly: generating a key or opening a PFX for every test would be the slow part.
    TentacleConfig tentacle =
        new TentacleConfig(
            "Web01", ConfigFile.load(config), MachineKey.loadOrCreate(cli.machineDir));
    tentacle.setCertificate(IDENTITY);
    tentacle.save();
    tentacleThumbprint = IDENTITY.thumbprint();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              new Recorded(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().toString(),
                  exchange.getRequestHeaders().getFirst("X-Sepia-ApiKey"),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  body));
          int status;
          String response;
          String path = exchange.getRequestURI().getPath();
          if (!API_KEY.equals(exchange.getRequestHeaders().getFirst("X-Sepia-ApiKey"))) {
            status = 401;
            response = "{\"error\": \"The API key is not valid.\", \"details\": []}";
          } else if (path.equals("/api/serverstatus")) {
            status = 200;
            response = "{\"version\": \"0.1.0\", \"thumbprint\": \"" + SERVER_THUMBPRINT + "\"}";
          } else if (path.equals("/api/machines")) {
            status = machinesStatus;
            response = machinesBody;
          } else {
            status = 404;
            response = "{\"error\": \"no such thing\"}";
          }
          byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
          if (status != 204) {
            exchange.getResponseBody().write(bytes);
          }
          exchange.close();
        });
    server.start();
    serverUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
  }

  @Test
  void registerWith_listening_postsTheMachineAndTrustsTheServer() throws Exception {
    String out =
        cli.ok(
            "register-with",
            "--instance",
            "Web01",
            "--server",
            serverUrl,
            "--apiKey",
            API_KEY,
            "--name",
            "web01",
            "--environment",
            "Production",
            "--environment",
            "Staging",
            "--role",
            "web-server",
            "--publicHostName",
            "web01.example.com");

    assertThat(requests).hasSize(2);
    Recorded status = requests.get(0);
    assertThat(status.method()).isEqualTo("GET");
    assertThat(status.uri()).isEqualTo("/api/serverstatus");
    assertThat(status.apiKey()).isEqualTo(API_KEY);
    Recorded post = requests.get(1);
    assertThat(post.method()).isEqualTo("POST");
    assertThat(post.uri()).isEqualTo("/api/machines");
    assertThat(post.apiKey()).isEqualTo(API_KEY);
    assertThat(post.contentType()).isEqualTo("application/json");
    assertThat(new ObjectMapper().readTree(post.body()))
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    "{\"name\": \"web01\", \"thumbprint\": \""
                        + tentacleThumbprint
                        + "\", \"communicationStyle\": \"TentaclePassive\", \"uri\":"
                        + " \"https://web01.example.com:10933/\", \"environments\":"
                        + " [\"Production\", \"Staging\"], \"roles\": [\"web-server\"],"
                        + " \"force\": false}"));
    assertThat(out)
        .contains("as 'web01' (id Machines-7)")
        .contains("https://web01.example.com:10933/")
        .contains("now trusts the server's certificate: " + SERVER_THUMBPRINT)
        .contains("These changes require a restart of the Tentacle.");
    assertThat(trustedServersJson())
        .isEqualTo(
            "[{\"thumbprint\":\""
                + SERVER_THUMBPRINT
                + "\",\"communicationStyle\":\"TentaclePassive\"}]");
  }

  @Test
  void registerWith_polling_setsServerCommsToTheServersHost() throws Exception {
    cli.ok("configure", "--instance", "Web01", "--noListen", "true");

    String out =
        cli.ok(
            "register-with",
            "--instance",
            "Web01",
            "--server",
            serverUrl,
            "--apiKey",
            API_KEY,
            "--name",
            "web01",
            "--environment",
            "Production",
            "--role",
            "web-server",
            "--comms-style",
            "TentacleActive",
            "--server-comms-port",
            "10944",
            "--force");

    JsonNode body = new ObjectMapper().readTree(requests.get(1).body());
    assertThat(body.get("communicationStyle").asText()).isEqualTo("TentacleActive");
    assertThat(body.has("uri")).isFalse();
    assertThat(body.get("force").asBoolean()).isTrue();
    assertThat(out).contains("will poll the server at https://127.0.0.1:10944/");
    assertThat(trustedServersJson())
        .isEqualTo(
            "[{\"thumbprint\":\""
                + SERVER_THUMBPRINT
                + "\",\"communicationStyle\":\"TentacleActive\",\"address\":\"https://127.0.0.1:10944/\"}]");
  }

  @Test
  void registerWith_nameTaken_saysUseForceAndChangesNothing() {
    machinesStatus = 409;
    machinesBody =
        "{\"error\": \"A machine named web01 already exists.\", \"details\": [\"Machines-3\"]}";
    byte[] before = TentacleCli.bytes(config);

    TentacleCli.Result r = register();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("A machine named web01 already exists. Machines-3")
        .contains("--force");
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void registerWith_wrongApiKey_isExplainedAndChangesNothing() {
    byte[] before = TentacleCli.bytes(config);

    TentacleCli.Result r =
        cli.run(
            "register-with",
            "--instance",
            "Web01",
            "--server",
            serverUrl,
            "--apiKey",
            "API-WRONG",
            "--name",
            "web01",
            "--environment",
            "Production",
            "--role",
            "web");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("refused the API key (HTTP 401)").contains("--apiKey");
    assertThat(requests).hasSize(1);
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void registerWith_badInput_isBadUsageAndCallsNothing() {
    byte[] before = TentacleCli.bytes(config);
    String[][] bad = {
      {
        "--server",
        "ftp://x",
        "--apiKey",
        API_KEY,
        "--name",
        "n",
        "--environment",
        "e",
        "--role",
        "r"
      },
      {"--server", serverUrl, "--apiKey", API_KEY, "--name", "n", "--role", "r"},
      {
        "--server",
        serverUrl,
        "--apiKey",
        API_KEY,
        "--name",
        " ",
        "--environment",
        "e",
        "--role",
        "r"
      },
      {
        "--server",
        serverUrl,
        "--apiKey",
        API_KEY,
        "--name",
        "n",
        "--environment",
        "e",
        "--role",
        "r",
        "--comms-style",
        "Carrier-pigeon"
      },
      {
        "--server",
        serverUrl,
        "--apiKey",
        API_KEY,
        "--name",
        "n",
        "--environment",
        "e",
        "--role",
        "r",
        "--tentacle-comms-port",
        "0"
      },
    };
    for (String[] args : bad) {
      String[] all = new String[args.length + 3];
      all[0] = "register-with";
      all[1] = "--instance";
      all[2] = "Web01";
      System.arraycopy(args, 0, all, 3, args.length);
      TentacleCli.Result r = cli.run(all);
      assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
    }
    assertThat(requests).isEmpty();
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void registerWith_listeningWhileNoListen_isRefusedBeforeCallingTheServer() {
    cli.ok("configure", "--instance", "Web01", "--noListen", "true");

    TentacleCli.Result r = register();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("does not listen").contains("TentacleActive");
    assertThat(requests).isEmpty();
  }

  @Test
  void registerWith_unreachableServer_saysSo() throws IOException {
    server.stop(0);
    TentacleCli.Result r = register();
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("Could not reach the Sepia server at " + serverUrl.replaceAll("/$", ""));
  }

  @Test
  void deregisterFrom_deletesByThisTentaclesThumbprintAndDropsTheTrust() {
    register();
    requests.clear();
    machinesStatus = 204;

    String out =
        cli.ok(
            "deregister-from", "--instance", "Web01", "--server", serverUrl, "--apiKey", API_KEY);

    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).uri()).isEqualTo("/api/serverstatus");
    Recorded delete = requests.get(1);
    assertThat(delete.method()).isEqualTo("DELETE");
    assertThat(delete.uri()).isEqualTo("/api/machines?thumbprint=" + tentacleThumbprint);
    assertThat(delete.apiKey()).isEqualTo(API_KEY);
    assertThat(out)
        .contains("Removed this Tentacle (thumbprint " + tentacleThumbprint + ")")
        .contains("no longer trusts that server");
    assertThat(trustedServersJson()).isEqualTo("[]");
  }

  @Test
  void deregisterFrom_unknownMachine_failsAndKeepsTheTrust() {
    register();
    requests.clear();
    machinesStatus = 404;
    machinesBody = "{\"error\": \"No machine has that thumbprint.\"}";
    byte[] before = TentacleCli.bytes(config);

    TentacleCli.Result r =
        cli.run(
            "deregister-from", "--instance", "Web01", "--server", serverUrl, "--apiKey", API_KEY);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("has no machine with this Tentacle's thumbprint");
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  private TentacleCli.Result register() {
    return cli.run(
        "register-with",
        "--instance",
        "Web01",
        "--server",
        serverUrl,
        "--apiKey",
        API_KEY,
        "--name",
        "web01",
        "--environment",
        "Production",
        "--role",
        "web-server");
  }

  private String trustedServersJson() {
    try {
      return new ObjectMapper()
          .readTree(config.toFile())
          .get("Tentacle.Communication.TrustedServers")
          .asText();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
