package dev.sepia.comms.contract;

import java.util.List;

/** The RPC method names a Tentacle serves. */
public final class TentacleMethods {

  /** No params → {@link Capabilities}. */
  public static final String CAPABILITIES_GET = "capabilities.get";

  /** {@link StartScriptCommand} → {@link ScriptStatus}; a known ticket never runs twice. */
  public static final String SCRIPTS_START = "scripts.start";

  /** {@link ScriptStatusRequest} → {@link ScriptStatus}. */
  public static final String SCRIPTS_STATUS = "scripts.status";

  /** {@link TicketRequest} → {@link ScriptStatus}, state CANCELLED. */
  public static final String SCRIPTS_CANCEL = "scripts.cancel";

  /** {@link TicketRequest} → the final {@link ScriptStatus}; the workspace is then deleted. */
  public static final String SCRIPTS_COMPLETE = "scripts.complete";

  /** {@link UploadFileCommand} and the file as the body → {@link FileInfo}. */
  public static final String FILES_UPLOAD = "files.upload";

  /** {@link DownloadFileCommand} → {@link FileInfo} and the file as the body. */
  public static final String FILES_DOWNLOAD = "files.download";

  /** Every method above. */
  public static final List<String> ALL =
      List.of(
          CAPABILITIES_GET,
          SCRIPTS_START,
          SCRIPTS_STATUS,
          SCRIPTS_CANCEL,
          SCRIPTS_COMPLETE,
          FILES_UPLOAD,
          FILES_DOWNLOAD);

  private TentacleMethods() {}
}
