package dev.sepia.server.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The escrowed forms of a master key, for commands that take the key of an existing database or
 * backup (database, restore, verify-backup): K of the shares printed by {@code show-master-key
 * --shares}, or a file written by {@code export-master-key}.
 */
final class EscrowedKeyOptions {
  @Option(
      names = "--masterKeyShares",
      arity = "0..1",
      fallbackValue = "",
      paramLabel = "SHARE",
      description =
          "A share of the master key (sepia-share:v1:…); repeat the option once per share until"
              + " the threshold is reached. Without a value, each share is asked for at the"
              + " terminal, without echo.")
  List<String> shares;

  @Option(
      names = "--sharesFile",
      paramLabel = "FILE",
      description =
          "Read the master key's shares from FILE, one per line (blank lines and # lines"
              + " skipped).")
  Path sharesFile;

  @Option(
      names = "--masterKeyFile",
      paramLabel = "FILE",
      description =
          "Read the master key from FILE, written by export-master-key; its passphrase comes from"
              + " --passphraseFile, --passphraseEnv or a prompt.")
  Path masterKeyFile;

  /** These options with {@code --masterKey} as one source of a key. */
  MasterKeySource with(String masterKey, PassphraseOptions passphrase) {
    return new MasterKeySource(
        masterKey, shares, "--masterKeyShares", sharesFile, masterKeyFile, passphrase);
  }

  /** Whether a passphrase option is meant for --masterKeyFile rather than the backup's key. */
  boolean passphraseOpensAFile() {
    return masterKeyFile != null;
  }
}
