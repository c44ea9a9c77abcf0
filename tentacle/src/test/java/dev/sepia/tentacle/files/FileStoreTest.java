package dev.sepia.tentacle.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.comms.contract.DownloadFileCommand;
import dev.sepia.comms.contract.FileInfo;
import dev.sepia.comms.contract.UploadFileCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileStoreTest {
  @TempDir Path dir;
  Path root;
  FileStore store;

  @BeforeEach
  void setUp() {
    root = dir.resolve("app").resolve("files");
    store = new FileStore(root);
  }

  @Test
  void upload_thenDownload_returnsTheSameBytes() throws Exception {
    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);

    FileInfo uploaded =
        store.upload(
            new UploadFileCommand("packages/app-1.0.zip", data.length, sha256(data)),
            new ByteArrayInputStream(data));

    assertThat(uploaded).isEqualTo(new FileInfo("packages/app-1.0.zip", data.length, sha256(data)));
    assertThat(root.resolve("packages/app-1.0.zip")).hasBinaryContent(data);
    FileStore.Download download = store.download(new DownloadFileCommand("packages/app-1.0.zip"));
    try (InputStream body = download.body()) {
      assertThat(body.readAllBytes()).isEqualTo(data);
    }
    assertThat(download.info()).isEqualTo(uploaded);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void upload_acceptsAnUpperCaseHash_andReplacesAnExistingFile() throws Exception {
    byte[] first = "first".getBytes(StandardCharsets.UTF_8);
    byte[] second = "second version".getBytes(StandardCharsets.UTF_8);
    store.upload(new UploadFileCommand("a.txt", first.length, sha256(first)), in(first));

    FileInfo info =
        store.upload(
            new UploadFileCommand("a.txt", second.length, sha256(second).toUpperCase()),
            in(second));

    assertThat(info.sha256()).isEqualTo(sha256(second));
    assertThat(root.resolve("a.txt")).hasBinaryContent(second);
  }

  @Test
  void upload_withTheWrongHash_isRefusedAndLeavesNothing() {
    byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
    String wrong = sha256("other".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () -> store.upload(new UploadFileCommand("x/y.bin", data.length, wrong), in(data)))
        .isInstanceOf(HashMismatch.class)
        .hasMessageContaining(sha256(data))
        .hasMessageContaining(wrong)
        .hasMessageContaining("nothing was kept");
    assertThat(root.resolve("x/y.bin")).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void upload_withTheWrongHash_keepsThePreviousFile() throws Exception {
    byte[] good = "good".getBytes(StandardCharsets.UTF_8);
    store.upload(new UploadFileCommand("keep.txt", good.length, sha256(good)), in(good));
    byte[] bad = "bad!".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () ->
                store.upload(new UploadFileCommand("keep.txt", bad.length, sha256(good)), in(bad)))
        .isInstanceOf(HashMismatch.class);

    assertThat(root.resolve("keep.txt")).hasBinaryContent(good);
  }

  @Test
  void upload_shorterOrLongerThanAnnounced_isRefused() {
    byte[] data = "twelve bytes".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> store.upload(new UploadFileCommand("s", data.length + 1, sha256(data)), in(data)))
        .isInstanceOf(HashMismatch.class)
        .hasMessageContaining("ended after 12 of the announced 13 bytes");
    assertThatThrownBy(
            () -> store.upload(new UploadFileCommand("l", data.length - 1, sha256(data)), in(data)))
        .isInstanceOf(HashMismatch.class)
        .hasMessageContaining("more than the announced 11 bytes");
    assertThat(root.resolve("s")).doesNotExist();
    assertThat(root.resolve("l")).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../outside.txt",
        "a/../../outside.txt",
        "a/..",
        "..\\outside.txt",
        "/etc/passwd",
        "\\server\\share",
        "C:/Windows/x",
        "",
        ".",
        "nul\0byte"
      })
  void pathsThatLeaveTheFilesFolder_areRefused(String path) {
    byte[] data = "x".getBytes(StandardCharsets.UTF_8);
    // The contract's records refuse such paths too; the store does not rely on that.
    assertThatThrownBy(() -> store.upload(path, data.length, sha256(data), in(data)))
        .isInstanceOf(InvalidPath.class);
    assertThatThrownBy(() -> store.download(path)).isInstanceOf(InvalidPath.class);
    assertThat(dir.resolve("app/outside.txt")).doesNotExist();
    assertThat(dir.resolve("outside.txt")).doesNotExist();
  }

  @Test
  void aLinkOutOfTheFilesFolder_isNotFollowed() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createDirectories(root);
    Files.createSymbolicLink(root.resolve("link"), outside);
    byte[] data = "x".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> store.download(new DownloadFileCommand("link/secret.txt")))
        .isInstanceOf(InvalidPath.class)
        .hasMessageContaining("through a link");
    assertThatThrownBy(
            () ->
                store.upload(
                    new UploadFileCommand("link/new.txt", data.length, sha256(data)), in(data)))
        .isInstanceOf(InvalidPath.class);
    assertThat(outside.resolve("new.txt")).doesNotExist();
  }

  @Test
  void download_ofAMissingFile_saysSo() {
    assertThatThrownBy(() -> store.download(new DownloadFileCommand("missing.txt")))
        .isInstanceOf(FileNotFound.class)
        .hasMessageContaining("missing.txt");
  }

  @Test
  void upload_withAMalformedHash_isRefused() {
    assertThatThrownBy(() -> store.upload("a", 1, "abc", in(new byte[1])))
        .isInstanceOf(InvalidUpload.class);
    assertThatThrownBy(() -> store.upload("a", -1, sha256(new byte[0]), in(new byte[0])))
        .isInstanceOf(InvalidUpload.class);
  }

  private static InputStream in(byte[] data) {
    return new ByteArrayInputStream(data);
  }

  /** Temporary upload files left anywhere under the files folder. */
  private java.util.List<Path> leftovers() {
    if (!Files.exists(root)) {
      return java.util.List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".upload")).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
