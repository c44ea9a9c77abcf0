package dev.sepia.server.security;

import dev.sepia.crypto.Keyring;
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

  /**
   * The keyring a node opens the database with, from the keys in its config: the master key alone,
   * or — while a rotation is under way — both the previous (retiring) key and the new one, each
   * checked against its verifier. The new key seals only once the rotation says every node holds
   * it; until then it only opens. Every refusal says which command resolves it.
   *
   * @param retiring the config's retiring master key, or null
   * @param sealWithNewKey whether a rotation under way has let nodes seal with the new key
   */
  public static Keyring keyring(
      DatabaseMetadata metadata,
      SymmetricKey key,
      SymmetricKey retiring,
      boolean sealWithNewKey,
      String instance) {
    Optional<String> retiringVerifier = metadata.get(DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER);
    Verdict verdict = check(metadata, key);
    if (verdict == Verdict.OPENS) {
      if (retiringVerifier.isEmpty()) {
        return Keyring.of(key);
      }
      if (retiring != null && MasterKeyVerifier.matches(retiringVerifier.get(), retiring)) {
        return sealWithNewKey
            ? Keyring.of(retiring).withActive(key)
            : Keyring.of(retiring).withOpener(key);
      }
      throw new OperatorException(
          "A master key rotation of this database (key id "
              + MasterKeyVerifier.keyIdOf(retiringVerifier.get())
              + " to "
              + key.keyId()
              + ") is under way, and the config of instance '"
              + instance
              + "' lacks the previous key, which still opens the values not yet re-encrypted."
              + " Finish the rotation first: run sepia-server rotate-master-key on the node that"
              + " started it, then start this server. Nothing was changed.");
    }
    if (verdict == Verdict.DOES_NOT_OPEN) {
      if (retiring != null && check(metadata, retiring) == Verdict.OPENS) {
        throw new OperatorException(
            "A master key rotation on instance '"
                + instance
                + "' was interrupted before the database recorded it: the config holds the new"
                + " key (id "
                + key.keyId()
                + "), the database still expects key id "
                + databaseKeyId(metadata)
                + ". Finish it with: sepia-server rotate-master-key --instance "
                + instance
                + ". Nothing was changed.");
      }
      if (retiringVerifier.isPresent() && MasterKeyVerifier.matches(retiringVerifier.get(), key)) {
        if (!sealWithNewKey) {
          // Nothing is sealed with the new key yet: this node can serve with the old one, and the
          // rotation waits until it is handed the new key.
          return Keyring.of(key);
        }
        throw new OperatorException(
            "The master key of this database is being rotated to key id "
                + databaseKeyId(metadata)
                + ", and instance '"
                + instance
                + "' has only the previous key (id "
                + key.keyId()
                + "). Hand it the new key (shown by sepia-server show-master-key on the node that"
                + " ran rotate-master-key): sepia-server set-master-key --instance "
                + instance
                + " --masterKey <new key>. Nothing was changed.");
      }
    }
    require(metadata, key, instance);
    throw new IllegalStateException("unreachable: the key was refused above");
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
