package dev.sepia.server.backup;

import dev.sepia.crypto.DecryptionFailedException;
import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.crypto.PassphraseBox;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import java.util.Arrays;
import java.util.Base64;

/** The master key of a backup: unwrapping the included one, and proving a key opens the backup. */
public final class BackupKeys {
  private BackupKeys() {}

  /**
   * Opens the master key wrapped inside the backup.
   *
   * @throws OperatorException if the backup has no wrapped key, or the passphrase does not open it
   */
  public static SymmetricKey unwrap(BackupArchive archive, char[] passphrase) {
    byte[] sealed =
        archive
            .wrappedMasterKey()
            .orElseThrow(
                () ->
                    new OperatorException(
                        "The backup "
                            + archive.file()
                            + " does not include the master key (it was made without"
                            + " --includeMasterKey), so a passphrase cannot open it. Give the key"
                            + " with --masterKey instead. Nothing was changed.",
                        2));
    byte[] raw;
    try {
      raw = PassphraseBox.open(passphrase, sealed);
    } catch (DecryptionFailedException e) {
      throw new OperatorException(
          "The passphrase does not open the master key included in the backup "
              + archive.file()
              + " (wrong passphrase, or the wrapped key is damaged). Nothing was changed.");
    }
    try {
      return SymmetricKey.fromBase64(Base64.getEncoder().encodeToString(raw));
    } catch (IllegalArgumentException e) {
      throw new OperatorException(
          "The master key included in the backup " + archive.file() + " is damaged.");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  /**
   * Refuses a key that does not open the backup, comparing it with the verifier in the backed-up
   * database, and then an archive that this key did not tag (changed since it was written), before
   * anything is written anywhere.
   */
  public static void requireOpens(BackupArchive archive, SymmetricKey key) {
    String verifier =
        archive
            .masterKeyVerifier()
            .orElseThrow(
                () ->
                    BackupArchive.notABackup(
                        archive.file(), "its database has no master key verifier"));
    if (!MasterKeyVerifier.matches(verifier, key)) {
      throw new OperatorException(
          "The key (id "
              + key.keyId()
              + ") does not open this backup; it was made with key id "
              + keyIdOf(verifier)
              + ". Give the key of the instance that was backed up (--masterKey), or the"
              + " passphrase of a backup made with --includeMasterKey. Nothing was changed.");
    }
    archive.requireTaggedBy(key);
  }

  private static String keyIdOf(String verifier) {
    try {
      return MasterKeyVerifier.keyIdOf(verifier);
    } catch (IllegalArgumentException e) {
      return "unknown";
    }
  }
}
