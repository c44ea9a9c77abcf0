package dev.sepia.tentacle.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sepia.comms.contract.Capabilities;
import dev.sepia.comms.contract.ContractJson;
import dev.sepia.comms.contract.DownloadFileCommand;
import dev.sepia.comms.contract.ScriptStatusRequest;
import dev.sepia.comms.contract.StartScriptCommand;
import dev.sepia.comms.contract.TentacleErrors;
import dev.sepia.comms.contract.TentacleMethods;
import dev.sepia.comms.contract.TicketRequest;
import dev.sepia.comms.contract.UploadFileCommand;
import dev.sepia.comms.rpc.RpcFault;
import dev.sepia.comms.rpc.RpcHandler;
import dev.sepia.comms.rpc.RpcReply;
import dev.sepia.comms.rpc.RpcServices;
import dev.sepia.tentacle.Version;
import dev.sepia.tentacle.files.FileNotFound;
import dev.sepia.tentacle.files.FileStore;
import dev.sepia.tentacle.files.HashMismatch;
import dev.sepia.tentacle.files.InvalidPath;
import dev.sepia.tentacle.files.InvalidUpload;
import dev.sepia.tentacle.scripts.InvalidScriptCommand;
import dev.sepia.tentacle.scripts.InvalidTicket;
import dev.sepia.tentacle.scripts.ScriptRunner;
import dev.sepia.tentacle.scripts.UnknownTicket;
import dev.sepia.tentacle.scripts.UnsupportedShell;
import java.io.InputStream;
import java.util.List;

/**
 * The services a Tentacle offers to the servers it trusts, as RPC methods: the contract's records
 * in and out as JSON, the script runner and file store behind them.
 *
 * <p>Refusals the caller can act on are answered with a named error type: {@code UnknownTicket},
 * {@code HashMismatch}, {@code InvalidPath} (a file path that would leave the files folder), {@code
 * FileNotFound}, {@code UnsupportedShell}, and {@code InvalidRequest} for parameters that do not
 * make a valid request (a bad ticket, a malformed hash, unreadable JSON). Anything else is a fault
 * of this Tentacle and reaches the caller under its exception's name.
 */
public final class TentacleRpcServices {
  /** A file path that would leave the files folder. */
  public static final String INVALID_PATH = "InvalidPath";

  /** A download of a file that does not exist. */
  public static final String FILE_NOT_FOUND = "FileNotFound";

  /** A script for a shell this Tentacle does not run. */
  public static final String UNSUPPORTED_SHELL = "UnsupportedShell";

  /** Every method this Tentacle answers, as reported by {@code capabilities.get}. */
  public static final List<String> METHODS = TentacleMethods.ALL;

  private TentacleRpcServices() {}

  /** The capabilities this Tentacle reports. */
  public static Capabilities capabilities(ScriptRunner scripts) {
    return new Capabilities(
        Version.current(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        scripts.shells(),
        METHODS);
  }

  public static RpcServices create(ScriptRunner scripts, FileStore files) {
    RpcServices services = new RpcServices();
    services.register(
        TentacleMethods.CAPABILITIES_GET,
        (params, body) -> RpcReply.of(ContractJson.toTree(capabilities(scripts))));
    services.register(
        TentacleMethods.SCRIPTS_START,
        faults((params, body) -> reply(scripts.start(read(params, StartScriptCommand.class)))));
    services.register(
        TentacleMethods.SCRIPTS_STATUS,
        faults(
            (params, body) -> {
              ScriptStatusRequest request = read(params, ScriptStatusRequest.class);
              return reply(scripts.status(request.ticket(), request.afterSequence()));
            }));
    services.register(
        TentacleMethods.SCRIPTS_CANCEL,
        faults(
            (params, body) -> reply(scripts.cancel(read(params, TicketRequest.class).ticket()))));
    services.register(
        TentacleMethods.SCRIPTS_COMPLETE,
        faults(
            (params, body) -> reply(scripts.complete(read(params, TicketRequest.class).ticket()))));
    services.register(
        TentacleMethods.FILES_UPLOAD,
        faults(
            (params, body) -> {
              // The path is checked first, so a path that leaves the folder is named as such.
              files.resolve(params == null ? null : params.path("path").asText(null));
              UploadFileCommand command = read(params, UploadFileCommand.class);
              return reply(files.upload(command, body));
            }));
    services.register(
        TentacleMethods.FILES_DOWNLOAD,
        faults(
            (params, body) -> {
              files.resolve(params == null ? null : params.path("path").asText(null));
              FileStore.Download download = files.download(read(params, DownloadFileCommand.class));
              return new RpcReply(ContractJson.toTree(download.info()), download.body());
            }));
    return services;
  }

  private static RpcReply reply(Object result) {
    return RpcReply.of(ContractJson.toTree(result));
  }

  /**
   * @throws RpcFault {@code InvalidRequest} if the parameters do not make a valid {@code type}
   */
  private static <T> T read(JsonNode params, Class<T> type) throws RpcFault {
    if (params == null || params.isNull() || params.isMissingNode()) {
      throw new RpcFault(
          TentacleErrors.INVALID_REQUEST,
          "The request has no parameters; it needs a " + type.getSimpleName() + ".");
    }
    try {
      return ContractJson.fromTree(params, type);
    } catch (IllegalArgumentException e) {
      throw new RpcFault(TentacleErrors.INVALID_REQUEST, e.getMessage());
    }
  }

  /** Answers the refusals an operator can act on with their error types. */
  private static RpcHandler faults(RpcHandler handler) {
    return (JsonNode params, InputStream body) -> {
      try {
        return handler.handle(params, body);
      } catch (UnknownTicket e) {
        throw new RpcFault(TentacleErrors.UNKNOWN_TICKET, e.getMessage());
      } catch (HashMismatch e) {
        throw new RpcFault(TentacleErrors.HASH_MISMATCH, e.getMessage());
      } catch (InvalidPath e) {
        throw new RpcFault(INVALID_PATH, e.getMessage());
      } catch (FileNotFound e) {
        throw new RpcFault(FILE_NOT_FOUND, e.getMessage());
      } catch (UnsupportedShell e) {
        throw new RpcFault(UNSUPPORTED_SHELL, e.getMessage());
      } catch (InvalidTicket | InvalidScriptCommand | InvalidUpload e) {
        throw new RpcFault(TentacleErrors.INVALID_REQUEST, e.getMessage());
      }
    };
  }
}
