package dev.sepia.server.cli;

import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.backup.BackupArchive;
import dev.sepia.server.backup.BackupKeys;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which master key opens a backup, for restore and verify-backup: {@code --masterKey}, the escrowed
 * forms (shares, an exported key file); else, with a passphrase option, the key wrapped inside the
 * backup; else the instance's own key; else, when the backup includes a wrapped key, a prompt for
 * its passphrase.
 */
final class BackupKeyChoice {
  private BackupKeyChoice() {}

  static SymmetricKey choose(
      String masterKey,
      EscrowedKeyOptions escrowed,
      PassphraseOptions passphrase,
      BackupArchive archive,
      Supplier<Optional<SymmetricKey>> instanceKey,
      Map<String, String> env,
      PrintWriter err) {
    MasterKeySource given = escrowed.with(masterKey, passphrase);
    if (given.given()) {
      if (passphrase.given() && !escrowed.passphraseOpensAFile()) {
        throw new OperatorException(
            "Give either "
                + given.optionNames()
                + " or a passphrase for the key inside the backup, not both.",
            2);
      }
      return given.resolve(env, err);
    }
    if (passphrase.given()) {
      return unwrap(archive, passphrase, env);
    }
    Optional<SymmetricKey> own = instanceKey.get();
    if (own.isPresent()) {
      return own.get();
    }
    if (archive.manifest().includesMasterKey()) {
      return unwrap(archive, passphrase, env);
    }
    throw new OperatorException(
        "No master key to open the backup with: it does not include one, and this instance has"
            + " none. Give the key of the instance that was backed up: --masterKey <base64 key>,"
            + " --masterKeyShares (K of its shares), --sharesFile or --masterKeyFile. Nothing was"
            + " changed.",
        2);
  }

  private static SymmetricKey unwrap(
      BackupArchive archive, PassphraseOptions passphrase, Map<String, String> env) {
    char[] secret = passphrase.read(env, "Passphrase of the master key in the backup", false, true);
    try {
      return BackupKeys.unwrap(archive, secret);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }
}
