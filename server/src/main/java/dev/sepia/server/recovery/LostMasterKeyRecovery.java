package dev.sepia.server.recovery;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.MasterKeyVerifier;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.certificate.StoredCertificate;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.reports.ReportFiles;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.catalogue.CatalogueWalk;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import dev.sepia.server.store.catalogue.WalkProgress;
import java.io.PrintWriter;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Brings a database whose master key is lost back to a working state under a new key. Every step
 * can be interrupted: a rerun finds the unfinished recovery and completes it, reaching the same end
 * state.
 *
 * <ol>
 *   <li>The new key is saved in the config first, so no crash can lose it; then the run is recorded
 *       in {@code recoveries} with the key's id. (A crash between the two leaves an unused key in
 *       the config and nothing in the database: the rerun simply starts afresh.)
 *   <li>Every catalogued column is walked in batches by row id, one transaction per batch: a value
 *       that opens with the new key is kept (so a rerun never clears what this recovery wrote), any
 *       other is set to NULL and listed in {@code cleared_values} in the same transaction.
 *   <li>The server certificate is replaced unless it already opens with the new key.
 *   <li>The report is written; then, in one transaction, the verifier of the new key, the
 *       recovery's completion and the audit event. Until that commit the server still refuses to
 *       start, so nothing can be written under a half-recovered database.
 * </ol>
 */
public final class LostMasterKeyRecovery {

  private final Jdbi jdbi;
  private final ServerConfig config;
  private final PrintWriter out;
  private final FaultPoints faults;
  private final Recoveries recoveries;

  public LostMasterKeyRecovery(
      Jdbi jdbi, ServerConfig config, PrintWriter out, FaultPoints faults) {
    this.jdbi = jdbi;
    this.config = config;
    this.out = out;
    this.faults = faults;
    this.recoveries = new Recoveries(jdbi);
  }

  /** What a finished recovery did. */
  public record Outcome(
      String recoveryId,
      String newKeyId,
      long clearedCount,
      Map<EncryptedField, Long> clearedPerField,
      String thumbprint,
      String previousThumbprint,
      boolean certificateReplaced,
      ReportFiles report) {}

  /** How many values each catalogued column holds now (non-NULL), in catalogue order. */
  public Map<EncryptedField, Long> storedValues() {
    return storedValues(jdbi);
  }

  /** How many values each catalogued column holds (non-NULL), in catalogue order. */
  public static Map<EncryptedField, Long> storedValues(Jdbi jdbi) {
    Map<EncryptedField, Long> counts = new LinkedHashMap<>();
    jdbi.useHandle(
        h -> {
          for (EncryptedField field : EncryptedFieldCatalogue.all()) {
            counts.put(
                field,
                h.createQuery(
                        "SELECT COUNT(*) FROM "
                            + field.table()
                            + " WHERE "
                            + field.column()
                            + " IS NOT NULL")
                    .mapTo(Long.class)
                    .one());
          }
        });
    return counts;
  }

  public Optional<Recoveries.Unfinished> unfinished() {
    return recoveries.unfinished();
  }

  /**
   * Runs (or resumes) the recovery.
   *
   * @param currentKey the key in the config, or null if it has none or it cannot be read
   * @param keepCurrentKey the current key opens the database and the operator asked to go on: it
   *     stays the master key, and only values it cannot open are cleared
   */
  public Outcome run(SymmetricKey currentKey, boolean keepCurrentKey, String actor) {
    Optional<Recoveries.Unfinished> unfinished = recoveries.unfinished();
    SymmetricKey key;
    if (keepCurrentKey) {
      key = currentKey;
    } else if (unfinished.isPresent()
        && currentKey != null
        && currentKey.keyId().equals(unfinished.get().newKeyId())) {
      key = currentKey;
      out.println("Continuing with the new master key (id " + key.keyId() + ") already saved.");
    } else {
      key = SymmetricKey.generate();
      config.setMasterKey(key);
      config.save();
      out.println(
          "Saved a new master key (id "
              + key.keyId()
              + ") in "
              + config.configPath()
              + ", protected by this machine's key.");
      faults.reach("after-key-saved", () -> {});
    }
    String recoveryId;
    if (unfinished.isPresent()) {
      recoveryId = unfinished.get().id();
      if (!unfinished.get().newKeyId().equals(key.keyId())) {
        recoveries.changeKey(recoveryId, key.keyId());
      }
    } else {
      recoveryId = recoveries.start(actor, key.keyId());
    }
    faults.reach("after-recovery-recorded", () -> {});

    Barrier barrier = Barrier.unsealed(keyring(key, keepCurrentKey));
    clearWhatDoesNotOpen(barrier, recoveryId);

    ServerCertificateStore certificates = new ServerCertificateStore(jdbi);
    String previousThumbprint =
        certificates.current().map(StoredCertificate::thumbprint).orElse(null);
    boolean replaced = !certificateOpens(certificates, barrier);
    if (replaced) {
      CertificateWithKey fresh =
          Certificates.generateSelfSigned(ServerCertificateStore.COMMON_NAME);
      jdbi.useTransaction(h -> certificates.replace(h, barrier, fresh));
      out.println("Issued a new server certificate: " + fresh.thumbprint());
    }
    String thumbprint = certificates.current().orElseThrow().thumbprint();
    faults.reach("after-certificate", () -> {});

    Map<EncryptedField, Long> perField = recoveries.clearedPerField(recoveryId);
    long cleared = perField.values().stream().mapToLong(Long::longValue).sum();
    Instant completedAt = Instant.now();
    RecoveryReport.Facts facts =
        new RecoveryReport.Facts(
            recoveryId,
            config.instanceName(),
            completedAt,
            key.keyId(),
            thumbprint,
            previousThumbprint,
            replaced,
            cleared,
            perField,
            tentacles());
    ReportFiles report = new RecoveryReport(recoveries).write(config.home(), facts);
    faults.reach("before-verifier", () -> {});

    jdbi.useTransaction(
        h -> {
          DatabaseMetadata.put(
              h, DatabaseMetadata.MASTER_KEY_VERIFIER, MasterKeyVerifier.create(key));
          Recoveries.complete(h, recoveryId, thumbprint, report.markdown().toString(), completedAt);
          AuditLog.record(h, actor, "LostMasterKeyRecovery", auditMessage(facts));
          if (!keepCurrentKey) {
            abandonRotation(h, actor, completedAt);
          }
        });
    return new Outcome(
        recoveryId,
        key.keyId(),
        cleared,
        perField,
        thumbprint,
        previousThumbprint,
        replaced,
        report);
  }

  /**
   * The kept key alone — or, if a master key rotation is under way, with the rotation's previous
   * key as well, so that the values the rotation has not re-encrypted yet are kept, not cleared.
   */
  private Keyring keyring(SymmetricKey key, boolean keepCurrentKey) {
    Keyring ring = Keyring.of(key);
    if (!keepCurrentKey) {
      return ring;
    }
    Optional<String> retiringVerifier =
        new DatabaseMetadata(jdbi).get(DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER);
    Optional<SymmetricKey> retiring = config.retiringMasterKey();
    if (retiringVerifier.isPresent()
        && retiring.isPresent()
        && MasterKeyVerifier.matches(retiringVerifier.get(), retiring.get())) {
      out.println(
          "A master key rotation is under way: values sealed with its previous key (id "
              + retiring.get().keyId()
              + ") are kept too; run rotate-master-key afterwards to finish it.");
      return Keyring.of(retiring.get()).withActive(key);
    }
    return ring;
  }

  /**
   * A master key rotation left unfinished when the key was lost cannot go on: both its keys are
   * replaced by the new one. It is closed, so the server does not wait for its retiring key.
   */
  private static void abandonRotation(org.jdbi.v3.core.Handle h, String actor, Instant at) {
    if (DatabaseMetadata.get(h, DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER).isEmpty()) {
      return;
    }
    DatabaseMetadata.remove(h, DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER);
    h.createUpdate("UPDATE key_rotations SET completed_at = :at WHERE completed_at IS NULL")
        .bind("at", at)
        .execute();
    AuditLog.record(
        h,
        actor,
        "MasterKeyRotation",
        "Closed an unfinished master key rotation: the recovery from a lost master key replaced"
            + " its keys");
  }

  private void clearWhatDoesNotOpen(Barrier barrier, String recoveryId) {
    Map<EncryptedField, Long> stored = storedValues();
    long total =
        stored.entrySet().stream()
            .filter(e -> e.getKey().whenKeyLost() == EncryptedField.WhenKeyLost.CLEAR)
            .mapToLong(Map.Entry::getValue)
            .sum();
    WalkProgress progress =
        new WalkProgress(
            out, total, "Checking " + total + " stored sensitive value(s)…", "cleared");
    CatalogueWalk walk = new CatalogueWalk(jdbi, faults.batchSize(), faults.afterBatch(out));
    for (EncryptedField field : EncryptedFieldCatalogue.all()) {
      if (field.whenKeyLost() == EncryptedField.WhenKeyLost.REGENERATE) {
        if (field != EncryptedFieldCatalogue.SERVER_CERTIFICATE_PRIVATE_KEY) {
          throw new IllegalStateException(
              field
                  + " is to be regenerated, and recovery knows only how to do so for the"
                  + " server certificate");
        }
        continue;
      }
      walk.walk(
          field,
          progress,
          (h, f, values, number) -> clear(h, barrier, recoveryId, f, values, number));
    }
    progress.finish();
  }

  /** Clears the values of one batch that do not open, and lists them for re-entry. */
  private int clear(
      Handle h,
      Barrier barrier,
      String recoveryId,
      EncryptedField field,
      List<CatalogueWalk.Value> values,
      int number) {
    List<String> lost = new ArrayList<>();
    for (CatalogueWalk.Value value : values) {
      if (!opens(barrier, field, value.rowId(), value.sealed())) {
        lost.add(value.rowId());
      }
    }
    if (!lost.isEmpty()) {
      Map<String, Owner> owners = Owners.of(h, field, lost);
      List<Owner> found = new ArrayList<>();
      var clear =
          h.prepareBatch(
              "UPDATE "
                  + field.table()
                  + " SET "
                  + field.column()
                  + " = NULL WHERE "
                  + field.idColumn()
                  + " = :id");
      for (String id : lost) {
        clear.bind("id", id).add();
        found.add(owners.getOrDefault(id, new Owner(id, id, null, null)));
      }
      clear.execute();
      Recoveries.recordCleared(h, recoveryId, field, found, Instant.now());
    }
    faults.reach("in-batch-" + number, () -> {});
    return lost.size();
  }

  private static boolean opens(Barrier barrier, EncryptedField field, String rowId, String sealed) {
    try {
      barrier.open(field, rowId, sealed);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean certificateOpens(ServerCertificateStore store, Barrier barrier) {
    try {
      store.load(barrier);
      return true;
    } catch (OperatorException | IllegalArgumentException e) {
      return false;
    }
  }

  private List<String> tentacles() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT name FROM machines WHERE communication_style IN ('TentaclePassive',"
                        + " 'TentacleActive') ORDER BY name")
                .mapTo(String.class)
                .list());
  }

  private static String auditMessage(RecoveryReport.Facts facts) {
    List<String> kinds = new ArrayList<>();
    facts
        .clearedPerField()
        .forEach(
            (field, n) -> {
              if (n > 0) {
                kinds.add(field.ownerKind() + " " + field.description() + ": " + n);
              }
            });
    return "Recovered from a lost master key (recovery "
        + facts.recoveryId()
        + "): cleared "
        + facts.clearedCount()
        + " sensitive value(s)"
        + (kinds.isEmpty() ? "" : " (" + String.join(", ", kinds) + ")")
        + "; new master key id "
        + facts.newKeyId()
        + "; server certificate "
        + facts.thumbprint()
        + (facts.certificateReplaced() ? " (new)" : " (kept)");
  }
}
