package dev.sepia.comms.contract;

/**
 * Stores the body that follows as a file on the Tentacle, if its length and SHA-256 match.
 *
 * @param path relative to the Tentacle's files folder; no "..", not absolute
 * @param sha256 lower-case hex
 */
public record UploadFileCommand(String path, long length, String sha256) {

  public UploadFileCommand {
    ContractChecks.relativePath(path);
    ContractChecks.length(length);
    sha256 = ContractChecks.sha256(sha256);
  }
}
