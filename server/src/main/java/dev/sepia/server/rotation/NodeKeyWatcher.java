package dev.sepia.server.rotation;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.ServerNodes;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a running server node follow a master key rotation without a restart. Every few seconds it
 * compares the database's verifiers with its barrier's keyring: when a rotation is under way and
 * the node lacks the new key, it reads its own config file again, and once that holds the new key
 * (and the retiring one) it switches to both, sealing with the new key, and says so in {@code
 * server_nodes}. When the rotation has completed it drops the old key, from memory and config.
 */
public final class NodeKeyWatcher {
  private static final Logger log = LoggerFactory.getLogger(NodeKeyWatcher.class);
  public static final Duration PERIOD = Duration.ofSeconds(2);

  private final ServerConfig config;
  private final Barrier barrier;
  private final DatabaseMetadata metadata;
  private final ServerNodes nodes;
  private final String node;
  private String waitingFor;
  private boolean configChecked;

  public NodeKeyWatcher(
      ServerConfig config,
      Barrier barrier,
      DatabaseMetadata metadata,
      ServerNodes nodes,
      String node) {
    this.config = config;
    this.barrier = barrier;
    this.metadata = metadata;
    this.nodes = nodes;
    this.node = node;
  }

  /** One look at the database; called from the node's scheduler, never concurrently. */
  public void check() {
    Optional<String> verifier = metadata.get(DatabaseMetadata.MASTER_KEY_VERIFIER);
    if (verifier.isEmpty()) {
      return;
    }
    String activeId = MasterKeyVerifier.keyIdOf(verifier.get());
    Optional<String> retiringVerifier = metadata.get(DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER);
    if (retiringVerifier.isPresent()) {
      if (!barrier.activeKeyId().equals(activeId)) {
        takeNewKey(verifier.get(), retiringVerifier.get(), activeId);
      }
      return;
    }
    if (barrier.activeKeyId().equals(activeId) && (barrier.keyIds().size() > 1 || !configChecked)) {
      dropRetiringKey(activeId);
    }
  }

  private void takeNewKey(String verifier, String retiringVerifier, String activeId) {
    ServerConfig fresh = config.reloaded();
    SymmetricKey key = fresh.masterKey().orElse(null);
    SymmetricKey retiring = fresh.retiringMasterKey().orElse(null);
    boolean usable =
        key != null
            && MasterKeyVerifier.matches(verifier, key)
            && retiring != null
            && MasterKeyVerifier.matches(retiringVerifier, retiring)
            && retiring.keyId().equals(barrier.activeKeyId());
    if (!usable) {
      if (!activeId.equals(waitingFor)) {
        log.warn(
            "A master key rotation to key id {} is under way; this node (seals with key id {})"
                + " waits for the new key in its config {}. Hand it over with: sepia-server"
                + " set-master-key --instance {} --masterKey <new key>",
            activeId,
            barrier.activeKeyId(),
            fresh.configPath(),
            fresh.instanceName());
        waitingFor = activeId;
      }
      return;
    }
    Keyring next = barrier.keyring().withActive(key);
    barrier.switchTo(next);
    nodes.recordActiveKey(node, key.keyId());
    log.info(
        "Master key rotation: this node now seals with key id {} and still opens key id {}",
        key.keyId(),
        retiring.keyId());
  }

  private void dropRetiringKey(String activeId) {
    Keyring ring = barrier.keyring();
    for (String id : ring.keyIds()) {
      if (!id.equals(activeId)) {
        ring = ring.without(id);
      }
    }
    if (ring != barrier.keyring()) {
      barrier.switchTo(ring);
      log.info("Master key rotation completed: this node now holds only key id {}", activeId);
    }
    ServerConfig fresh = config.reloaded();
    Optional<SymmetricKey> key = fresh.masterKey();
    if (fresh.retiringMasterKey().isPresent()
        && key.isPresent()
        && key.get().keyId().equals(activeId)) {
      fresh.removeRetiringMasterKey();
      fresh.save();
      log.info("Removed the previous master key from {}", fresh.configPath());
    }
    configChecked = true;
  }
}
