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
 * Lets a running server node follow a master key rotation without a restart, in the rotation's two
 * steps. Every few seconds it compares the database with its barrier's keyring. While the new key
 * is being handed out, a node that lacks it reads its own config file again, and once that holds
 * the new key (and the retiring one) it opens with the new key too but still seals with the old
 * one, so a node that has not been handed the key yet can still read everything. When the rotation
 * says every node holds the new key, the node seals with it. Each step is recorded in {@code
 * server_nodes}. When the rotation has completed the node drops the old key, from memory and
 * config.
 */
public final class NodeKeyWatcher {
  private static final Logger log = LoggerFactory.getLogger(NodeKeyWatcher.class);
  public static final Duration PERIOD = Duration.ofSeconds(2);

  private final ServerConfig config;
  private final Barrier barrier;
  private final DatabaseMetadata metadata;
  private final KeyRotations rotations;
  private final ServerNodes nodes;
  private final String node;
  private String waitingFor;
  private boolean configChecked;

  public NodeKeyWatcher(
      ServerConfig config,
      Barrier barrier,
      DatabaseMetadata metadata,
      KeyRotations rotations,
      ServerNodes nodes,
      String node) {
    this.config = config;
    this.barrier = barrier;
    this.metadata = metadata;
    this.rotations = rotations;
    this.nodes = nodes;
    this.node = node;
  }

  /** One look at the database; called from the node's scheduler, never concurrently. */
  public void check() {
    Optional<String> verifier = metadata.get(DatabaseMetadata.MASTER_KEY_VERIFIER);
    if (verifier.isEmpty()) {
      return;
    }
    String newId = MasterKeyVerifier.keyIdOf(verifier.get());
    Optional<String> retiringVerifier = metadata.get(DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER);
    if (retiringVerifier.isPresent()) {
      if (!barrier.keyIds().contains(newId)) {
        takeNewKey(verifier.get(), retiringVerifier.get(), newId);
      }
      boolean seal =
          rotations.unfinished().map(KeyRotations.Rotation::sealsWithNewKey).orElse(true);
      if (seal && barrier.keyIds().contains(newId) && !barrier.activeKeyId().equals(newId)) {
        sealWithNewKey(newId);
      }
      return;
    }
    if (!barrier.activeKeyId().equals(newId) && barrier.keyIds().contains(newId)) {
      sealWithNewKey(newId); // a node that missed the switch (its heartbeat lapsed) catches up
    }
    if (barrier.activeKeyId().equals(newId) && (barrier.keyIds().size() > 1 || !configChecked)) {
      dropRetiringKey(newId);
    }
  }

  private void takeNewKey(String verifier, String retiringVerifier, String newId) {
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
      if (!newId.equals(waitingFor)) {
        log.warn(
            "A master key rotation to key id {} is under way; this node (seals with key id {})"
                + " waits for the new key in its config {}. Hand it over with: sepia-server"
                + " set-master-key --instance {} --masterKey <new key>",
            newId,
            barrier.activeKeyId(),
            fresh.configPath(),
            fresh.instanceName());
        waitingFor = newId;
      }
      return;
    }
    barrier.switchTo(barrier.keyring().withOpener(key));
    recordKeys();
    log.info(
        "Master key rotation: this node now opens with key id {} and still seals with key id {}"
            + " until every node holds the new key",
        key.keyId(),
        retiring.keyId());
  }

  private void sealWithNewKey(String newId) {
    SymmetricKey key = barrier.keyring().find(newId).orElseThrow();
    String previous = barrier.activeKeyId();
    barrier.switchTo(barrier.keyring().withActive(key));
    recordKeys();
    log.info(
        "Master key rotation: this node now seals with key id {} and still opens key id {}",
        newId,
        previous);
  }

  private void recordKeys() {
    nodes.recordKeys(node, barrier.activeKeyId(), barrier.keyIds());
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
      recordKeys();
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
