package dev.sepia.server.security;

import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.store.DatabaseMetadata;
import java.util.Optional;

/** Checks a master key against the verifier stored in the database. Reads only. */
public final class MasterKeyGate {
  private MasterKeyGate() {}

  public enum Verdict {
    OPENS,
    DOES_NOT_OPEN,
    NO_VERIFIER
  }

  public static Verdict check(DatabaseMetadata metadata, SymmetricKey key) {
    Optional<String> verifier = metadata.get(DatabaseMetadata.MASTER_KEY_VERIFIER);
    if (verifier.isEmpty()) {
      return Verdict.NO_VERIFIER;
    }
    return MasterKeyVerifier.matches(verifier.get(), key) ? Verdict.OPENS : Verdict.DOES_NOT_OPEN;
  }

  /** The key id the database was sealed with, for messages ("made with key 1a2b3c4d"). */
  public static String databaseKeyId(DatabaseMetadata metadata) {
    return metadata
        .get(DatabaseMetadata.MASTER_KEY_VERIFIER)
        .map(MasterKeyVerifier::keyIdOf)
        .orElse("none");
  }

  /** The three ways out, named whenever the key and the database disagree. */
  public static String waysOut(String instance) {
    return "Ways out:\n"
        + "  1. Give the right key and save it: sepia-server database --instance "
        + instance
        + " --masterKey <base64 key>\n"
        + "  2. Or put the right key in this instance's config only: sepia-server set-master-key"
        + " --instance "
        + instance
        + " --masterKey <base64 key>\n"
        + "  3. If the key is lost for good: sepia-server lost-master-key --instance "
        + instance
        + " (resets every sensitive value; see docs/master-key.md)";
  }

  /** Fails with the three ways out unless the key opens the database. */
  public static void require(DatabaseMetadata metadata, SymmetricKey key, String instance) {
    Verdict verdict = check(metadata, key);
    if (verdict == Verdict.OPENS) {
      return;
    }
    if (verdict == Verdict.NO_VERIFIER) {
      throw new OperatorException(
          "The database has no master key verifier: its creation did not finish. Run: sepia-server"
              + " database --instance "
              + instance
              + " --create");
    }
    throw new OperatorException(
        "The master key of instance '"
            + instance
            + "' (key id "
            + key.keyId()
            + ") does not open this database (it was sealed with key id "
            + databaseKeyId(metadata)
            + "). Nothing was changed.\n"
            + waysOut(instance));
  }
}
