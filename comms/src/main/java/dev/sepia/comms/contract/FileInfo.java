package dev.sepia.comms.contract;

/**
 * A file as stored on the Tentacle.
 *
 * @param sha256 lower-case hex
 */
public record FileInfo(String path, long length, String sha256) {

  public FileInfo {
    ContractChecks.length(length);
    sha256 = ContractChecks.sha256(sha256);
  }
}
