package dev.sepia.tentacle.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sepia.comms.contract.Capabilities;
import dev.sepia.comms.contract.ScriptLogLine;
import dev.sepia.comms.contract.ScriptState;
import dev.sepia.comms.contract.ScriptStatus;
import dev.sepia.comms.contract.StartScriptCommand;
import dev.sepia.comms.contract.TentacleClient;
import dev.sepia.comms.contract.TentacleErrors;
import dev.sepia.comms.contract.TentacleMethods;
import dev.sepia.comms.rpc.ListeningClient;
import dev.sepia.comms.rpc.PollingServer;
import dev.sepia.comms.rpc.RemoteException;
import dev.sepia.comms.rpc.RpcChannel;
import dev.sepia.comms.rpc.TrustRefusedByPeerException;
import dev.sepia.comms.tls.PeerRejection;
import dev.sepia.comms.tls.PinnedTls;
import dev.sepia.comms.tls.TrustRejectionListener;
import dev.sepia.comms.tls.TrustedThumbprints;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.crypto.MachineKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.ConfigFile;
import dev.sepia.tentacle.config.TentacleConfig;
import dev.sepia.tentacle.trust.CommunicationStyle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Tentacle agent on an ephemeral port, called the way the server calls it. */
class TentacleAgentTest {
  static final CertificateWithKey SERVER = Certificates.generateSelfSigned("Sepia Server");
  static final CertificateWithKey TENTACLE = Certificates.generateSelfSigned("Sepia Tentacle");
  static final Duration CONNECT = Duration.ofSeconds(10);

  @TempDir Path dir;
  TentacleConfig config;
  TentacleAgent agent;
  final List<PeerRejection> serverSideRejections = new CopyOnWriteArrayList<>();
  final TrustRejectionListener recording = serverSideRejections::add;

  @BeforeEach
  void setUp() throws IOException {
    config =
        new TentacleConfig(
            "AgentTest",
            ConfigFile.createNew(dir.resolve("tentacle.json")),
            MachineKey.loadOrCreate(dir.resolve("machine")));
    config.setCertificate(TENTACLE);
    config.setHome(dir);
    config.setApp(dir.resolve("app"));
    config.setListenIpAddress("127.0.0.1");
    config.setListenPort(0);
    config.addTrust(SERVER.thumbprint());
    config.save();
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void aTrustedServer_runsAScriptAndMovesFiles() throws Exception {
    agent = TentacleAgent.start(config);
    assertThat(agent.thumbprint()).isEqualTo(TENTACLE.thumbprint());

    try (RpcChannel channel = connect(SERVER)) {
      TentacleClient client = new TentacleClient(channel);

      Capabilities capabilities = client.capabilities();
      assertThat(capabilities.shells()).contains("bash");
      assertThat(capabilities.methods()).containsAll(TentacleMethods.ALL);

      client.startScript(
          new StartScriptCommand(
              "agent-1", "echo \"hello $WHO\"", "bash", Map.of("WHO", "server"), List.of(), 0));
      ScriptStatus done = awaitEnd(client, "agent-1");
      assertThat(done.state()).isEqualTo(ScriptState.COMPLETE);
      assertThat(done.exitCode()).isZero();
      assertThat(done.logs()).extracting(ScriptLogLine::text).contains("hello server");
      assertThat(client.complete("agent-1").state()).isEqualTo(ScriptState.COMPLETE);
      assertThatThrownBy(() -> client.status("agent-1", 0))
          .isInstanceOfSatisfying(
              RemoteException.class,
              e -> assertThat(e.type()).isEqualTo(TentacleErrors.UNKNOWN_TICKET));

      byte[] data = new byte[200_000];
      new Random(1).nextBytes(data);
      Path local = Files.write(dir.resolve("local.bin"), data);
      client.upload("incoming/pkg.bin", local);
      assertThat(dir.resolve("app/files/incoming/pkg.bin")).hasBinaryContent(data);
      Path back = dir.resolve("back.bin");
      client.download("incoming/pkg.bin", back);
      assertThat(back).hasBinaryContent(data);
    }
  }

  @Test
  void pathsThatLeaveTheFilesFolder_areAnsweredWithInvalidPath() throws Exception {
    agent = TentacleAgent.start(config);
    try (RpcChannel channel = connect(SERVER)) {
      ObjectNode upload = JsonNodeFactory.instance.objectNode();
      upload.put("path", "../escape.txt");
      upload.put("length", 1);
      upload.put("sha256", "0".repeat(64));
      assertThatThrownBy(
              () ->
                  channel.upload(
                      TentacleMethods.FILES_UPLOAD,
                      upload,
                      new ByteArrayInputStream(new byte[] {1}),
                      CONNECT))
          .isInstanceOfSatisfying(
              RemoteException.class, e -> assertThat(e.type()).isEqualTo("InvalidPath"));
      ObjectNode download = JsonNodeFactory.instance.objectNode().put("path", "/etc/passwd");
      assertThatThrownBy(() -> channel.download(TentacleMethods.FILES_DOWNLOAD, download, CONNECT))
          .isInstanceOfSatisfying(
              RemoteException.class, e -> assertThat(e.type()).isEqualTo("InvalidPath"));
    }
    assertThat(dir.resolve("app/escape.txt")).doesNotExist();
  }

  @Test
  void aServerItDoesNotTrust_isRefused() throws Exception {
    agent = TentacleAgent.start(config);
    CertificateWithKey stranger = Certificates.generateSelfSigned("Sepia Server");

    assertThatThrownBy(
            () -> {
              try (RpcChannel channel = connect(stranger)) {
                new TentacleClient(channel).capabilities();
              }
            })
        .isInstanceOf(TrustRefusedByPeerException.class)
        .hasMessageContaining(stranger.thumbprint());
  }

  @Test
  void aPollingTentacle_servesTheServerItPolls() throws Exception {
    var ssl =
        PinnedTls.context(
            SERVER,
            TrustedThumbprints.of(List.of(TENTACLE.thumbprint())),
            PinnedTls.SERVER_ROLE,
            recording);
    try (PollingServer polling =
        new PollingServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ssl)) {
      polling.start();
      config.setNoListen(true);
      config.setServerComms(
          SERVER.thumbprint(), CommunicationStyle.TENTACLE_ACTIVE, "127.0.0.1", polling.port());
      agent = TentacleAgent.start(config);
      assertThat(agent.listeningPort()).isEqualTo(-1);

      try (RpcChannel channel = polling.channelFor(TENTACLE.thumbprint(), CONNECT)) {
        assertThat(new TentacleClient(channel).capabilities().methods())
            .contains(TentacleMethods.SCRIPTS_START);
      }
    }
    assertThat(serverSideRejections).isEmpty();
  }

  @Test
  void withoutCertificate_itRefusesToStart() throws Exception {
    TentacleConfig blank =
        new TentacleConfig(
            "Blank",
            ConfigFile.createNew(dir.resolve("blank.json")),
            MachineKey.loadOrCreate(dir.resolve("machine")));
    blank.addTrust(SERVER.thumbprint());
    assertThatThrownBy(() -> TentacleAgent.start(blank))
        .isInstanceOf(OperatorException.class)
        .hasMessageContaining("no certificate")
        .hasMessageContaining("new-certificate --instance Blank");
  }

  @Test
  void withoutATrustedServer_itRefusesToStart() {
    config.resetTrust();
    assertThatThrownBy(() -> TentacleAgent.start(config))
        .isInstanceOf(OperatorException.class)
        .hasMessageContaining("trusts no server")
        .hasMessageContaining("configure --instance AgentTest --trust=<server thumbprint>");
  }

  @Test
  void onAPortInUse_itNamesThePortAndTheFlag() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      config.setListenPort(taken.getLocalPort());
      assertThatThrownBy(() -> TentacleAgent.start(config))
          .isInstanceOf(OperatorException.class)
          .hasMessageContaining("port " + taken.getLocalPort())
          .hasMessageContaining("configure --instance AgentTest --port");
      assertThatThrownBy(() -> TentacleAgent.preflight(config, true))
          .isInstanceOf(OperatorException.class)
          .hasMessageContaining("port " + taken.getLocalPort());
    }
  }

  @Test
  void close_stopsListening() throws Exception {
    agent = TentacleAgent.start(config);
    int port = agent.listeningPort();
    agent.close();
    agent = null;
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }
  }

  private RpcChannel connect(CertificateWithKey serverIdentity) throws Exception {
    return ListeningClient.connect(
        URI.create("https://127.0.0.1:" + agent.listeningPort() + "/"),
        serverIdentity,
        TENTACLE.thumbprint(),
        recording,
        CONNECT);
  }

  private static ScriptStatus awaitEnd(TentacleClient client, String ticket) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      ScriptStatus status = client.status(ticket, 0);
      if (status.state() != ScriptState.RUNNING && status.state() != ScriptState.PENDING) {
        return status;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("script " + ticket + " did not end");
  }
}
