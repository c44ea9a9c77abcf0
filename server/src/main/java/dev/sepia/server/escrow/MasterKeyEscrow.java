package dev.sepia.server.escrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.store.DatabaseMetadata;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records that a master key was escrowed — shown in full, split into shares, exported to a
 * passphrase-protected file, or confirmed by an administrator as kept by other means — and tells
 * whether the database's <em>current</em> key is. The record holds the key id, when, how and by
 * whom, never the key. A later key (after a rotation or a lost-master-key recovery) has another id,
 * so the reminder comes back until that key is escrowed too.
 */
public final class MasterKeyEscrow {
  /** The audit category of every escrow record. */
  public static final String EVENT = "MasterKeyEscrowed";

  private static final Logger log = LoggerFactory.getLogger(MasterKeyEscrow.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbi jdbi;

  public MasterKeyEscrow(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** One escrow of one key. {@code how} is a phrase such as "printed by show-master-key". */
  public record Escrowed(String keyId, String at, String how, String by) {}

  /**
   * The current key's id (as the database's verifier names it) and the last key escrowed, if any.
   */
  public record Status(String currentKeyId, Optional<Escrowed> last) {
    /** Whether the key the database is sealed with has been escrowed. */
    public boolean escrowed() {
      return last.isPresent() && last.get().keyId().equals(currentKeyId);
    }
  }

  public Status status() {
    return jdbi.withHandle(MasterKeyEscrow::status);
  }

  public static Status status(Handle h) {
    String current =
        DatabaseMetadata.get(h, DatabaseMetadata.MASTER_KEY_VERIFIER)
            .map(MasterKeyEscrow::keyIdOf)
            .orElse("none");
    Optional<Escrowed> last =
        DatabaseMetadata.get(h, DatabaseMetadata.MASTER_KEY_ESCROW).flatMap(MasterKeyEscrow::read);
    return new Status(current, last);
  }

  /** Records, with an audit event in the same transaction, that {@code keyId} was escrowed. */
  public void record(String keyId, String how, String actor) {
    jdbi.useTransaction(h -> record(h, keyId, how, actor));
  }

  /** As {@link #record(String, String, String)}, inside the caller's transaction. */
  public static void record(Handle h, String keyId, String how, String actor) {
    Escrowed escrowed = new Escrowed(keyId, Instant.now().toString(), how, actor);
    try {
      DatabaseMetadata.put(
          h, DatabaseMetadata.MASTER_KEY_ESCROW, JSON.writeValueAsString(escrowed));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the master key escrow record", e);
    }
    AuditLog.record(
        h, actor, EVENT, "Master key id " + keyId + " escrowed: " + how + " (the key is not kept)");
  }

  /** Logs a warning at start-up while the current key has not been escrowed. */
  public void warnIfDue(String instance) {
    Status status = status();
    if (status.escrowed()) {
      return;
    }
    log.warn(
        "The master key of this server (key id {}) has not been backed up{}. If this machine is"
            + " lost, the secrets in the database are lost with it. Back it up away from this"
            + " machine: sepia-server show-master-key --instance {} --shares 5 --threshold 3 (one"
            + " share per person), or sepia-server export-master-key --instance {} --file FILE."
            + " See docs/escrow.md. This warning stays until the current key is backed up.",
        status.currentKeyId(),
        status
            .last()
            .map(e -> " (key id " + e.keyId() + " was, but the database now uses another key)")
            .orElse(""),
        instance,
        instance);
  }

  private static String keyIdOf(String verifier) {
    try {
      return MasterKeyVerifier.keyIdOf(verifier);
    } catch (IllegalArgumentException e) {
      return "unknown";
    }
  }

  private static Optional<Escrowed> read(String json) {
    try {
      return Optional.of(JSON.readValue(json, Escrowed.class));
    } catch (JsonProcessingException e) {
      // An unreadable record is as good as none: the reminder shows, which is the safe side.
      return Optional.empty();
    }
  }
}
