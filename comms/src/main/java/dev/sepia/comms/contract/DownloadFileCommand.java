package dev.sepia.comms.contract;

/**
 * Asks for a file from the Tentacle.
 *
 * @param path relative to the Tentacle's files folder; no "..", not absolute
 */
public record DownloadFileCommand(String path) {

  public DownloadFileCommand {
    ContractChecks.relativePath(path);
  }
}
