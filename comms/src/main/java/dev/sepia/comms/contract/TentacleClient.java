package dev.sepia.comms.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.comms.rpc.RpcChannel;
import dev.sepia.comms.rpc.RpcDownload;
import dev.sepia.comms.rpc.RpcException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The server's typed view of a Tentacle's services, over any {@link RpcChannel}. Each call waits at
 * most the call timeout for its answer; file data moves at the pace the other side reads it.
 */
public final class TentacleClient {

  /** Long enough for a loaded machine to start a process or move a large file into place. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

  private final RpcChannel channel;
  private final Duration timeout;

  public TentacleClient(RpcChannel channel) {
    this(channel, DEFAULT_CALL_TIMEOUT);
  }

  public TentacleClient(RpcChannel channel, Duration callTimeout) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.timeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  public Capabilities capabilities() throws RpcException {
    return call(TentacleMethods.CAPABILITIES_GET, null, Capabilities.class);
  }

  /** Starts the script, or returns the status of the one already started under this ticket. */
  public ScriptStatus startScript(StartScriptCommand command) throws RpcException {
    return call(TentacleMethods.SCRIPTS_START, command, ScriptStatus.class);
  }

  public ScriptStatus status(String ticket, long afterSequence) throws RpcException {
    return call(
        TentacleMethods.SCRIPTS_STATUS,
        new ScriptStatusRequest(ticket, afterSequence),
        ScriptStatus.class);
  }

  public ScriptStatus cancel(String ticket) throws RpcException {
    return call(TentacleMethods.SCRIPTS_CANCEL, new TicketRequest(ticket), ScriptStatus.class);
  }

  public ScriptStatus complete(String ticket) throws RpcException {
    return call(TentacleMethods.SCRIPTS_COMPLETE, new TicketRequest(ticket), ScriptStatus.class);
  }

  /**
   * Uploads {@code localFile} to {@code path} on the Tentacle. Its length and SHA-256 are computed
   * first and checked by the Tentacle, which keeps the file only if they match.
   *
   * @throws IOException if the file cannot be read, the call fails, or the Tentacle reports
   *     different contents
   */
  public FileInfo upload(String path, Path localFile) throws IOException {
    FileInfo local = describe(path, localFile);
    UploadFileCommand command = new UploadFileCommand(path, local.length(), local.sha256());
    JsonNode result;
    try (InputStream body = Files.newInputStream(localFile)) {
      result =
          channel.upload(TentacleMethods.FILES_UPLOAD, ContractJson.toTree(command), body, timeout);
    }
    FileInfo stored = read(result, FileInfo.class, TentacleMethods.FILES_UPLOAD);
    if (stored.length() != local.length() || !stored.sha256().equals(local.sha256())) {
      throw new IOException(
          "The Tentacle stored "
              + path
              + " with length "
              + stored.length()
              + " and SHA-256 "
              + stored.sha256()
              + ", but "
              + localFile
              + " has length "
              + local.length()
              + " and SHA-256 "
              + local.sha256());
    }
    return stored;
  }

  /**
   * Downloads {@code path} from the Tentacle into {@code localTarget}, verifying its length and
   * SHA-256 as it arrives. The data goes to a temporary file beside the target, moved into place
   * only once verified; on any failure it is deleted and the target left as it was.
   */
  public FileInfo download(String path, Path localTarget) throws IOException {
    Path target = localTarget.toAbsolutePath();
    Path partial =
        Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
    try (RpcDownload download =
        channel.download(
            TentacleMethods.FILES_DOWNLOAD,
            ContractJson.toTree(new DownloadFileCommand(path)),
            timeout)) {
      FileInfo info = read(download.result(), FileInfo.class, TentacleMethods.FILES_DOWNLOAD);
      long copied;
      try (InputStream in = new HashCheckingInputStream(download.body(), info.sha256());
          OutputStream out = Files.newOutputStream(partial)) {
        copied = in.transferTo(out);
      }
      if (copied != info.length()) {
        throw new IOException(
            "Downloading "
                + path
                + " gave "
                + copied
                + " bytes; the Tentacle announced "
                + info.length());
      }
      moveIntoPlace(partial, target);
      return info;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
  }

  private <T> T call(String method, Object params, Class<T> type) throws RpcException {
    JsonNode json = params == null ? null : ContractJson.toTree(params);
    return read(channel.call(method, json, timeout), type, method);
  }

  private static <T> T read(JsonNode result, Class<T> type, String method) throws RpcException {
    if (result == null || result.isNull() || result.isMissingNode()) {
      throw new RpcException("The Tentacle answered '" + method + "' with no result");
    }
    try {
      return ContractJson.fromTree(result, type);
    } catch (IllegalArgumentException e) {
      throw new RpcException(
          "The Tentacle's answer to '" + method + "' is not understood: " + e.getMessage(), e);
    }
  }

  private static FileInfo describe(String path, Path file) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
    long length;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
      length = in.transferTo(OutputStream.nullOutputStream());
    }
    return new FileInfo(path, length, HexFormat.of().formatHex(sha256.digest()));
  }

  private static void moveIntoPlace(Path partial, Path target) throws IOException {
    try {
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
