package dev.sepia.server.rotation;

import dev.sepia.crypto.FieldCipher;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.crypto.UnknownKeyException;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.certificate.StoredCertificate;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.recovery.FaultPoints;
import dev.sepia.server.recovery.LostMasterKeyRecovery;
import dev.sepia.server.recovery.Owner;
import dev.sepia.server.recovery.Owners;
import dev.sepia.server.reports.ReportFiles;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.ServerNodes;
import dev.sepia.server.store.catalogue.CatalogueWalk;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import dev.sepia.server.store.catalogue.WalkProgress;
import java.io.PrintWriter;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Replaces the master key and re-encrypts every catalogued value under the new one, while servers
 * on the database keep serving. Every step can be interrupted; running it again continues.
 *
 * <ol>
 *   <li>The new key is saved in the config together with the old one as the retiring key, in one
 *       save, so no crash can lose either. Then one transaction records the rotation, makes the new
 *       key's verifier the database's and keeps the old key's as the retiring verifier. (A crash
 *       between the two leaves the config ahead of the database: the server refuses to start and
 *       says to run this again, which finishes the transaction.)
 *   <li>Every live server node takes the new key from its own config (which {@code set-master-key}
 *       updates on other machines) and at first only opens with it, still sealing with the old key:
 *       so a node that has not been handed the key yet can still open everything. Once every live
 *       node reports that it holds the new key, the rotation lets them seal with it, and waits
 *       until each says it does. Until then nothing is re-encrypted: a node still sealing with the
 *       old key would keep adding work behind the walk.
 *   <li>Every catalogued column is walked by row id in batches, one transaction each: a value that
 *       does not name the new key is opened with both keys and sealed again with the new key at the
 *       same location, written only if the row still holds what was read — a server that wrote a
 *       value meanwhile (already with the new key) wins. The server certificate's private key is
 *       one of these values, so the certificate, and the Tentacles' trust, stay as they are.
 *   <li>Values still naming another key are counted; any left (a request that began before its node
 *       switched) are walked again. Then the report; then, in one transaction, the rotation's
 *       completion, the retiring verifier's removal and the audit event. Last, the old key leaves
 *       the config.
 * </ol>
 *
 * <p>TEST ONLY fault points ({@link FaultPoints}): {@code after-key-saved}, {@code
 * after-rotation-recorded}, {@code after-sealing-started}, {@code after-nodes}, {@code in-batch-N},
 * {@code after-batch-N}, {@code pause-after-batch-N}, {@code after-walk}, {@code before-complete},
 * {@code after-complete}.
 */
public final class MasterKeyRotation {
  static final Duration NODE_POLL = Duration.ofMillis(500);
  private static final Duration NODE_REPORT_EVERY = Duration.ofSeconds(30);
  private static final int WALK_PASSES = 3;
  public static final String AUDIT_CATEGORY = "MasterKeyRotation";

  private final Jdbi jdbi;
  private final ServerConfig config;
  private final PrintWriter out;
  private final FaultPoints faults;
  private final KeyRotations rotations;

  public MasterKeyRotation(Jdbi jdbi, ServerConfig config, PrintWriter out, FaultPoints faults) {
    this.jdbi = jdbi;
    this.config = config;
    this.out = out;
    this.faults = faults;
    this.rotations = new KeyRotations(jdbi);
  }

  /** What a rotation did; {@code report} is null when a rerun found it had already completed. */
  public record Outcome(
      String rotationId,
      String oldKeyId,
      String newKeyId,
      long reEncrypted,
      Map<EncryptedField, Long> valuesPerField,
      String thumbprint,
      ReportFiles report) {

    public boolean alreadyCompleted() {
      return report == null;
    }
  }

  private record Keys(String rotationId, SymmetricKey oldKey, SymmetricKey newKey) {}

  /** How many values each catalogued column holds, in catalogue order. */
  public Map<EncryptedField, Long> storedValues() {
    return LostMasterKeyRecovery.storedValues(jdbi);
  }

  public Optional<KeyRotations.Rotation> unfinished() {
    return rotations.unfinished();
  }

  /** Runs (or continues) the rotation. */
  public Outcome run(String actor, Duration waitForNodes) {
    Optional<Outcome> done = finishedBefore();
    if (done.isPresent()) {
      return done.get();
    }
    Keys keys = prepare(actor);
    Barrier barrier = Barrier.unsealed(Keyring.of(keys.oldKey()).withActive(keys.newKey()));

    String newKeyId = keys.newKey().keyId();
    long deadline = System.nanoTime() + waitForNodes.toNanos();
    awaitNodes(NodeStep.OPEN, newKeyId, deadline, waitForNodes);
    rotations.startSealing(keys.rotationId());
    faults.reach("after-sealing-started", () -> {});
    awaitNodes(NodeStep.SEAL, newKeyId, deadline, waitForNodes);
    faults.reach("after-nodes", () -> {});

    reEncryptAll(barrier, keys);
    faults.reach("after-walk", () -> {});

    ServerCertificateStore certificates = new ServerCertificateStore(jdbi);
    // Proves the certificate's private key opens with the new key alone.
    String thumbprint =
        certificates.current().isPresent()
            ? certificates.load(Barrier.unsealed(Keyring.of(keys.newKey()))).thumbprint()
            : null;
    Map<EncryptedField, Long> perField = storedValues();
    long reEncrypted = rotations.unfinished().map(KeyRotations.Rotation::reEncrypted).orElse(0L);
    Instant completedAt = Instant.now();
    RotationReport.Facts facts =
        new RotationReport.Facts(
            keys.rotationId(),
            config.instanceName(),
            completedAt,
            keys.oldKey().keyId(),
            keys.newKey().keyId(),
            thumbprint,
            reEncrypted,
            perField,
            new ServerNodes(jdbi).live().stream().map(ServerNodes.Node::name).toList());
    ReportFiles report = RotationReport.write(config.home(), facts);
    faults.reach("before-complete", () -> {});

    jdbi.useTransaction(
        h -> {
          KeyRotations.complete(
              h, keys.rotationId(), thumbprint, report.markdown().toString(), completedAt);
          DatabaseMetadata.remove(h, DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER);
          AuditLog.record(h, actor, AUDIT_CATEGORY, auditMessage(facts));
        });
    faults.reach("after-complete", () -> {});
    forgetRetiringKey();
    return new Outcome(
        keys.rotationId(),
        keys.oldKey().keyId(),
        keys.newKey().keyId(),
        reEncrypted,
        perField,
        thumbprint,
        report);
  }

  /** A rerun after the completion committed: only the old key is left to remove from the config. */
  private Optional<Outcome> finishedBefore() {
    Optional<SymmetricKey> retiring = config.retiringMasterKey();
    SymmetricKey current = currentKey();
    DatabaseMetadata metadata = new DatabaseMetadata(jdbi);
    if (retiring.isEmpty()
        || rotations.unfinished().isPresent()
        || MasterKeyGate.check(metadata, current) != MasterKeyGate.Verdict.OPENS) {
      return Optional.empty();
    }
    Optional<KeyRotations.Rotation> last = rotations.lastCompleted();
    if (last.isEmpty()
        || !last.get().newKeyId().equals(current.keyId())
        || !last.get().oldKeyId().equals(retiring.get().keyId())) {
      return Optional.empty();
    }
    out.println(
        "The rotation from key id "
            + last.get().oldKeyId()
            + " to "
            + last.get().newKeyId()
            + " had completed; removing the previous key from the config.");
    forgetRetiringKey();
    String thumbprint =
        new ServerCertificateStore(jdbi).current().map(StoredCertificate::thumbprint).orElse(null);
    return Optional.of(
        new Outcome(
            last.get().id(),
            last.get().oldKeyId(),
            last.get().newKeyId(),
            last.get().reEncrypted(),
            storedValues(),
            thumbprint,
            null));
  }

  private SymmetricKey currentKey() {
    return config
        .masterKey()
        .orElseThrow(
            () ->
                new OperatorException(
                    "Instance '"
                        + config.instanceName()
                        + "' has no master key in its config, so there is nothing to rotate.\n"
                        + MasterKeyGate.waysOut(config.instanceName())));
  }

  private Keys prepare(String actor) {
    SymmetricKey current = currentKey();
    SymmetricKey retiring = config.retiringMasterKey().orElse(null);
    DatabaseMetadata metadata = new DatabaseMetadata(jdbi);
    Optional<KeyRotations.Rotation> unfinished = rotations.unfinished();
    if (unfinished.isPresent()) {
      KeyRotations.Rotation r = unfinished.get();
      Optional<String> retiringVerifier =
          metadata.get(DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER);
      boolean holdsBoth =
          current.keyId().equals(r.newKeyId())
              && MasterKeyGate.check(metadata, current) == MasterKeyGate.Verdict.OPENS
              && retiring != null
              && retiringVerifier.isPresent()
              && MasterKeyVerifier.matches(retiringVerifier.get(), retiring);
      if (!holdsBoth) {
        throw new OperatorException(
            "A rotation from master key id "
                + r.oldKeyId()
                + " to "
                + r.newKeyId()
                + " started at "
                + r.startedAt()
                + " and has not finished, and the config of instance '"
                + config.instanceName()
                + "' does not hold both of its keys (it has key id "
                + current.keyId()
                + (retiring == null ? "" : " and previous key id " + retiring.keyId())
                + "). Run rotate-master-key on the instance that started it; or give this one"
                + " the new key while its config still holds the old one: sepia-server"
                + " set-master-key --instance "
                + config.instanceName()
                + " --masterKey <new key>. Nothing was changed.");
      }
      out.println(
          "Continuing the rotation started at "
              + r.startedAt()
              + " (master key id "
              + r.oldKeyId()
              + " to "
              + r.newKeyId()
              + "; "
              + r.reEncrypted()
              + " value(s) re-encrypted so far).");
      return new Keys(r.id(), retiring, current);
    }
    if (retiring != null
        && MasterKeyGate.check(metadata, current) == MasterKeyGate.Verdict.DOES_NOT_OPEN
        && MasterKeyGate.check(metadata, retiring) == MasterKeyGate.Verdict.OPENS) {
      out.println(
          "Continuing with the new master key (id "
              + current.keyId()
              + ") already saved in the config; recording the rotation in the database.");
      return new Keys(record(retiring, current, actor), retiring, current);
    }
    MasterKeyGate.require(metadata, current, config.instanceName());
    SymmetricKey next = SymmetricKey.generate();
    config.setMasterKey(next);
    config.setRetiringMasterKey(current);
    config.save();
    out.println(
        "Saved a new master key (id "
            + next.keyId()
            + ") in "
            + config.configPath()
            + "; the previous key (id "
            + current.keyId()
            + ") stays there as the retiring key until the rotation completes.");
    faults.reach("after-key-saved", () -> {});
    String id = record(current, next, actor);
    faults.reach("after-rotation-recorded", () -> {});
    return new Keys(id, current, next);
  }

  private String record(SymmetricKey oldKey, SymmetricKey newKey, String actor) {
    return jdbi.inTransaction(
        h -> {
          String id = KeyRotations.start(h, oldKey.keyId(), newKey.keyId(), actor);
          DatabaseMetadata.put(
              h, DatabaseMetadata.MASTER_KEY_VERIFIER, MasterKeyVerifier.create(newKey));
          DatabaseMetadata.put(
              h, DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER, MasterKeyVerifier.create(oldKey));
          AuditLog.record(
              h,
              actor,
              AUDIT_CATEGORY,
              "Started a master key rotation ("
                  + id
                  + "): key id "
                  + oldKey.keyId()
                  + " to "
                  + newKey.keyId());
          return id;
        });
  }

  // ---- waiting for the running nodes

  /** What a rotation waits for every running node to do with the new key, in this order. */
  private enum NodeStep {
    OPEN("take", "now holds"),
    SEAL("seal with", "now seals with");

    final String verb;
    final String done;

    NodeStep(String verb, String done) {
      this.verb = verb;
      this.done = done;
    }

    boolean reached(ServerNodes.Node node, String newKeyId) {
      return this == OPEN ? node.keyIds().contains(newKeyId) : newKeyId.equals(node.activeKeyId());
    }
  }

  private void awaitNodes(NodeStep step, String newKeyId, long deadline, Duration wait) {
    ServerNodes nodes = new ServerNodes(jdbi);
    long reportedAt = 0;
    boolean waited = false;
    while (true) {
      List<ServerNodes.Node> lagging =
          nodes.live().stream().filter(n -> !step.reached(n, newKeyId)).toList();
      if (lagging.isEmpty()) {
        if (waited || step == NodeStep.SEAL) {
          out.println("Every running server node " + step.done + " the new key.");
        }
        return;
      }
      long now = System.nanoTime();
      if (now - deadline >= 0) {
        throw new OperatorException(
            lagging.size()
                + " running server node(s) did not "
                + step.verb
                + " the new master key (id "
                + newKeyId
                + ") within "
                + wait.toSeconds()
                + " s:"
                + describe(lagging)
                + "\n"
                + (step == NodeStep.OPEN ? handOver() : "Is their database connection working?")
                + "\nOr stop those nodes. Then run the same command again: the rotation is recorded"
                + " and continues where it stopped. Nothing was lost.");
      }
      if (!waited || now - reportedAt >= NODE_REPORT_EVERY.toNanos()) {
        out.println(
            "Waiting for "
                + lagging.size()
                + " running server node(s) to "
                + step.verb
                + " the new master key (id "
                + newKeyId
                + "):"
                + describe(lagging));
        if (step == NodeStep.OPEN) {
          out.println(handOver());
        }
        out.flush();
        reportedAt = now;
        waited = true;
      }
      try {
        Thread.sleep(NODE_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperatorException(
            "Interrupted while waiting for server nodes. Run the same command again to continue.");
      }
    }
  }

  private String handOver() {
    return "A node whose config this command updated takes the key by itself within seconds. On"
        + " each other node's machine, hand it the new key (shown here by: sepia-server"
        + " show-master-key --instance "
        + config.instanceName()
        + "):\n  sepia-server set-master-key --instance <its instance> --masterKey <new key>";
  }

  private static String describe(List<ServerNodes.Node> nodes) {
    StringBuilder text = new StringBuilder();
    for (ServerNodes.Node n : nodes) {
      text.append("\n  ")
          .append(n.name())
          .append(" on ")
          .append(n.host())
          .append(" (pid ")
          .append(n.pid())
          .append(", ")
          .append(n.webUrl())
          .append(", seals with key id ")
          .append(n.activeKeyId() == null ? "unknown" : n.activeKeyId())
          .append(n.keyIds().isEmpty() ? "" : ", opens key id(s) " + String.join(", ", n.keyIds()))
          .append(")");
    }
    return text.toString();
  }

  // ---- the walk

  private void reEncryptAll(Barrier barrier, Keys keys) {
    String newKeyId = keys.newKey().keyId();
    CatalogueWalk walk = new CatalogueWalk(jdbi, faults.batchSize(), faults.afterBatch(out));
    for (int pass = 1; ; pass++) {
      long remaining = countNotUnder(newKeyId);
      if (remaining == 0) {
        return;
      }
      if (pass > WALK_PASSES) {
        throw new OperatorException(
            remaining
                + " value(s) were sealed with another key than the new one (id "
                + newKeyId
                + ") while the rotation walked, "
                + WALK_PASSES
                + " times over. Is a server node still sealing with the old key? Run the same"
                + " command again to continue. Nothing was lost.");
      }
      if (pass > 1) {
        out.println(
            remaining
                + " value(s) were written with the previous key during the walk (by a request"
                + " that began before its node took the new key); walking again.");
      }
      WalkProgress progress =
          new WalkProgress(
              out,
              remaining,
              "Re-encrypting " + remaining + " sensitive value(s) with the new key…",
              "re-encrypted");
      for (EncryptedField field : EncryptedFieldCatalogue.all()) {
        walk.walk(
            field,
            prefix(newKeyId),
            progress,
            (h, f, values, number) -> reEncrypt(h, barrier, keys, f, values, number));
      }
      progress.finish();
    }
  }

  /** Re-seals one batch with the new key; a value a concurrent writer changed is left to it. */
  private int reEncrypt(
      Handle h,
      Barrier barrier,
      Keys keys,
      EncryptedField field,
      List<CatalogueWalk.Value> values,
      int number) {
    int reEncrypted = 0;
    if (!values.isEmpty()) {
      PreparedBatch update =
          h.prepareBatch(
              "UPDATE "
                  + field.table()
                  + " SET "
                  + field.column()
                  + " = :resealed WHERE "
                  + field.idColumn()
                  + " = :id AND "
                  + field.column()
                  + " = :read");
      for (CatalogueWalk.Value value : values) {
        update
            .bind("resealed", reseal(h, barrier, keys, field, value.rowId(), value.sealed()))
            .bind("id", value.rowId())
            .bind("read", value.sealed())
            .add();
      }
      for (int n : update.execute()) {
        reEncrypted += n;
      }
      KeyRotations.addReEncrypted(h, keys.rotationId(), reEncrypted);
    }
    faults.reach("in-batch-" + number, () -> {});
    return reEncrypted;
  }

  private static String reseal(
      Handle h, Barrier barrier, Keys keys, EncryptedField field, String rowId, String sealed) {
    byte[] plaintext;
    try {
      plaintext = barrier.open(field, rowId, sealed);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw unreadable(h, keys, field, rowId, sealed, e);
    }
    try {
      return barrier.seal(field, rowId, plaintext);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  private static OperatorException unreadable(
      Handle h, Keys keys, EncryptedField field, String rowId, String sealed, Exception e) {
    Owner owner = Owners.of(h, field, rowId);
    String why;
    if (e instanceof UnknownKeyException unknown) {
      why = "it was sealed with key id " + unknown.keyId() + ", which is neither of them";
    } else if (FieldCipher.looksSealed(sealed)) {
      why = "it names key id " + FieldCipher.keyIdOf(sealed) + " but is damaged or was moved";
    } else {
      why = "it is not a sealed value at all";
    }
    return new OperatorException(
        "The "
            + field.description()
            + " of "
            + field.ownerKind().toLowerCase(java.util.Locale.ROOT)
            + " "
            + owner.name()
            + (owner.place() == null ? "" : " (" + owner.place() + ")")
            + " — `"
            + field
            + "` row "
            + rowId
            + " — opens neither with the previous master key (id "
            + keys.oldKey().keyId()
            + ") nor with the new one (id "
            + keys.newKey().keyId()
            + "): "
            + why
            + ". The rotation stopped here; what it re-encrypted so far is kept and opens with"
            + " the new key, and nothing was lost. If that value is truly unreadable, clear it"
            + " (it is listed for re-entry) with: sepia-server lost-master-key --instance <this"
            + " instance> --skipCurrentMasterKeyTest — then run rotate-master-key again to finish.");
  }

  private long countNotUnder(String newKeyId) {
    return jdbi.withHandle(
        h -> {
          long n = 0;
          for (EncryptedField field : EncryptedFieldCatalogue.all()) {
            n +=
                h.createQuery(
                        "SELECT COUNT(*) FROM "
                            + field.table()
                            + " WHERE "
                            + field.column()
                            + " IS NOT NULL AND "
                            + field.column()
                            + " NOT LIKE :sealedWithNew")
                    .bind("sealedWithNew", prefix(newKeyId))
                    .mapTo(Long.class)
                    .one();
          }
          return n;
        });
  }

  /** Values sealed with {@code keyId} start so; key ids are hex, so nothing in it is a wildcard. */
  static String prefix(String keyId) {
    return "sepia:v1:" + keyId + ":%";
  }

  private void forgetRetiringKey() {
    ServerConfig fresh = config.reloaded();
    fresh.removeRetiringMasterKey();
    fresh.save();
  }

  private static String auditMessage(RotationReport.Facts facts) {
    List<String> kinds = new ArrayList<>();
    facts
        .valuesPerField()
        .forEach(
            (field, n) -> {
              if (n > 0) {
                kinds.add(field.ownerKind() + " " + field.description() + ": " + n);
              }
            });
    return "Rotated the master key ("
        + facts.rotationId()
        + "): key id "
        + facts.oldKeyId()
        + " to "
        + facts.newKeyId()
        + "; re-encrypted "
        + facts.reEncrypted()
        + " value(s)"
        + (kinds.isEmpty() ? "" : "; values under the new key: " + String.join(", ", kinds))
        + "; server certificate "
        + facts.thumbprint()
        + " kept";
  }
}
