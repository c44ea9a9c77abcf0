package dev.sepia.server.rotation;

import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.DatabaseState;
import java.util.Optional;

/**
 * What {@code set-master-key} does for a rotation: a node handed the new key while a rotation is
 * under way keeps its current key as the retiring one (it still opens the values not yet
 * re-encrypted); once no rotation is under way, a leftover retiring key is dropped.
 */
public final class RotationHandOver {
  private RotationHandOver() {}

  /**
   * Adjusts the retiring key in {@code config} (not saved) for {@code newKey}, which the caller has
   * checked against the database. Returns a sentence for the operator, or null if nothing changed.
   */
  public static String apply(ServerConfig config, DatabaseMetadata metadata, SymmetricKey newKey) {
    if (metadata.inspect() != DatabaseState.SEPIA) {
      return null;
    }
    Optional<String> retiringVerifier = metadata.get(DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER);
    if (retiringVerifier.isEmpty()) {
      if (config.file().get(ServerConfig.RETIRING_MASTER_KEY).isPresent()) {
        config.removeRetiringMasterKey();
        return "No master key rotation is under way: the previous key was removed from the"
            + " config.";
      }
      return null;
    }
    Optional<SymmetricKey> current = currentKey(config);
    if (current.isPresent()
        && !current.get().keyId().equals(newKey.keyId())
        && MasterKeyVerifier.matches(retiringVerifier.get(), current.get())) {
      config.setRetiringMasterKey(current.get());
      return "A master key rotation is under way: the previous key (id "
          + current.get().keyId()
          + ") is kept as the retiring key until it completes; a running server takes the new key"
          + " within seconds, without a restart.";
    }
    return null;
  }

  private static Optional<SymmetricKey> currentKey(ServerConfig config) {
    try {
      return config.masterKey();
    } catch (RuntimeException unreadable) {
      return Optional.empty();
    }
  }
}
