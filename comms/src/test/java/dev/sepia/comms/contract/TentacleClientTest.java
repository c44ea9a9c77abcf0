package dev.sepia.comms.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.comms.rpc.RemoteException;
import dev.sepia.comms.rpc.RpcFault;
import dev.sepia.comms.rpc.RpcReply;
import dev.sepia.comms.rpc.RpcServices;
import dev.sepia.comms.testing.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's typed client against a tiny fake Tentacle storing files in a temp folder. */
class TentacleClientTest {

  @TempDir Path tentacleFiles;
  @TempDir Path serverFiles;

  /** When set, the fake announces this hash for downloads instead of the real one. */
  private final AtomicReference<String> lieAboutHash = new AtomicReference<>();

  private Loopback loop;
  private TentacleClient client;

  @BeforeEach
  void start() throws Exception {
    RpcServices services =
        new RpcServices()
            .register(
                TentacleMethods.CAPABILITIES_GET,
                (params, body) ->
                    RpcReply.of(
                        ContractJson.toTree(
                            new Capabilities(
                                "1.0.0", "linux", List.of("bash"), TentacleMethods.ALL))))
            .register(
                TentacleMethods.FILES_UPLOAD,
                (params, body) -> RpcReply.of(ContractJson.toTree(store(params, body))))
            .register(TentacleMethods.FILES_DOWNLOAD, (params, body) -> serve(params));
    loop = Loopback.start(services);
    client = new TentacleClient(loop.channel);
  }

  @AfterEach
  void stop() {
    loop.close();
  }

  @Test
  void capabilities_arriveTyped() throws Exception {
    assertThat(client.capabilities().methods()).contains(TentacleMethods.FILES_UPLOAD);
  }

  @Test
  void fileUploadedThenDownloaded_comesBackIdentical() throws Exception {
    Path original = randomFile(serverFiles.resolve("app.zip"), 3 * 1024 * 1024 + 17);

    FileInfo stored = client.upload("packages/app.zip", original);
    Path copy = serverFiles.resolve("copy.zip");
    FileInfo fetched = client.download("packages/app.zip", copy);

    assertThat(stored.length()).isEqualTo(Files.size(original));
    assertThat(fetched).isEqualTo(stored);
    assertThat(Files.mismatch(original, copy)).isEqualTo(-1);
    assertThat(Files.exists(tentacleFiles.resolve("packages/app.zip"))).isTrue();
  }

  @Test
  void downloadWhoseDataDoesNotMatchItsHash_failsAndLeavesNoPartialFile() throws Exception {
    client.upload("a.bin", randomFile(serverFiles.resolve("a.bin"), 100_000));
    lieAboutHash.set("00".repeat(32));
    Path target = serverFiles.resolve("target.bin");

    assertThatThrownBy(() -> client.download("a.bin", target))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("SHA-256 mismatch");
    try (var left = Files.list(serverFiles)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("a.bin");
    }
  }

  @Test
  void uploadTheTentacleFindsCorrupt_isRefusedWithHashMismatch() throws Exception {
    Path file = randomFile(serverFiles.resolve("b.bin"), 1000);
    FileInfo truthful = client.upload("b.bin", file);
    assertThat(truthful.length()).isEqualTo(1000);

    // A file that changes between hashing and sending is what the Tentacle's check catches.
    assertThatThrownBy(
            () ->
                loop.channel.upload(
                    TentacleMethods.FILES_UPLOAD,
                    ContractJson.toTree(new UploadFileCommand("c.bin", 1000, truthful.sha256())),
                    InputStream.nullInputStream(),
                    Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            RemoteException.class,
            e -> assertThat(e.type()).isEqualTo(TentacleErrors.HASH_MISMATCH));
    assertThat(Files.exists(tentacleFiles.resolve("c.bin"))).isFalse();
  }

  // ---- the fake Tentacle ----

  private FileInfo store(JsonNode params, InputStream body) throws Exception {
    UploadFileCommand command = ContractJson.fromTree(params, UploadFileCommand.class);
    Path target = tentacleFiles.resolve(command.path());
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(tentacleFiles, "upload", ".tmp");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long length;
    try (InputStream in = new DigestInputStream(body, sha);
        OutputStream out = Files.newOutputStream(temp)) {
      length = in.transferTo(out);
    }
    String hash = HexFormat.of().formatHex(sha.digest());
    if (length != command.length() || !hash.equals(command.sha256())) {
      Files.delete(temp);
      throw new RpcFault(
          TentacleErrors.HASH_MISMATCH, "got " + length + " bytes hashing to " + hash);
    }
    Files.move(temp, target);
    return new FileInfo(command.path(), length, hash);
  }

  private RpcReply serve(JsonNode params) throws Exception {
    DownloadFileCommand command = ContractJson.fromTree(params, DownloadFileCommand.class);
    Path file = tentacleFiles.resolve(command.path());
    String hash;
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      new DigestInputStream(in, sha).transferTo(OutputStream.nullOutputStream());
      hash = HexFormat.of().formatHex(sha.digest());
    }
    String announced = lieAboutHash.get() != null ? lieAboutHash.get() : hash;
    FileInfo info = new FileInfo(command.path(), Files.size(file), announced);
    return new RpcReply(ContractJson.toTree(info), Files.newInputStream(file));
  }

  private static Path randomFile(Path path, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return Files.write(path, data);
  }
}
