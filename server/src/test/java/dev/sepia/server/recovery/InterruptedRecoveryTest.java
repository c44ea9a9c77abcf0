package dev.sepia.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A recovery stopped at any point is finished by running the command again, and ends exactly where
 * an uninterrupted run would: every value of the lost key cleared and listed once, nothing this
 * recovery sealed cleared, the verifier and the certificate opening with the key in the config.
 */
class InterruptedRecoveryTest {
  private static final int ACCOUNTS = 5;
  private static final int VARIABLES = 6;
  private static final Map<String, String> SMALL_BATCHES = Map.of(FaultPoints.BATCH_SIZE, "2");

  @TempDir Path temp;

  static Stream<Arguments> faultPoints() {
    List<Arguments> all = new ArrayList<>();
    for (DatabaseKind kind : DatabaseKind.values()) {
      for (String point :
          List.of(
              "after-key-saved",
              "after-recovery-recorded",
              "in-batch-1",
              "after-batch-2",
              "in-batch-5",
              "after-certificate",
              "before-verifier")) {
        all.add(Arguments.of(kind, point));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, stopped {1}")
  @MethodSource("faultPoints")
  void interruptedRecovery_isFinishedByARerun(DatabaseKind kind, String point) {
    RecoveryFixture f = RecoveryFixture.created(temp, TestDatabases.emptyDatabase(kind, temp));
    f.seedDirectly(ACCOUNTS, VARIABLES);
    TreeSet<String> lostKeyValues = clearable(f);
    f.lostKeyInstance();

    RecoveryFixture.Run failed = f.recoverConfirmed(withFault(point));
    assertThat(failed.exit()).as(failed.toString()).isNotZero();
    assertThat(failed.err()).contains("Test fault injected at " + point);
    // Until the verifier is written, the old key's database does not open with the new key.
    try (Database db = f.open()) {
      assertThat(MasterKeyGate.check(new DatabaseMetadata(db.jdbi()), f.newKey()))
          .isEqualTo(MasterKeyGate.Verdict.DOES_NOT_OPEN);
    }
    String thumbprintAfterCrash = thumbprint(f);
    boolean certificateWasIssued =
        point.equals("after-certificate") || point.equals("before-verifier");

    RecoveryFixture.Run rerun = f.recoverConfirmed(SMALL_BATCHES);

    assertThat(rerun.exit()).as(rerun.toString()).isZero();
    assertFinished(f, lostKeyValues);
    if (certificateWasIssued) {
      // The certificate this recovery sealed opens with its key, so the rerun kept it.
      assertThat(thumbprint(f)).isEqualTo(thumbprintAfterCrash);
    }
  }

  @Test
  void uninterruptedRun_reachesTheSameEndState() {
    RecoveryFixture f =
        RecoveryFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    f.seedDirectly(ACCOUNTS, VARIABLES);
    TreeSet<String> lostKeyValues = clearable(f);
    f.lostKeyInstance();

    RecoveryFixture.Run run = f.recoverConfirmed(SMALL_BATCHES);

    assertThat(run.exit()).as(run.toString()).isZero();
    assertFinished(f, lostKeyValues);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void killedProcess_isFinishedByARerun(DatabaseKind kind) throws Exception {
    RecoveryFixture f = RecoveryFixture.created(temp, TestDatabases.emptyDatabase(kind, temp));
    f.seedDirectly(ACCOUNTS, VARIABLES);
    TreeSet<String> lostKeyValues = clearable(f);
    f.lostKeyInstance();

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sepia.server.cli.ServerMain",
                "lost-master-key",
                "--instance",
                RecoveryFixture.NEW_INSTANCE,
                "--iReallyWantToResetAllMySensitiveData",
                "--iHaveBackedUpMyDatabase")
            .redirectErrorStream(true);
    builder.environment().putAll(f.newEnv);
    builder.environment().put(FaultPoints.BATCH_SIZE, "2");
    builder.environment().put(FaultPoints.FAIL_AT, "pause-after-batch-3");
    Process child = builder.start();
    StringBuilder seen = new StringBuilder();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.contains(FaultPoints.PAUSED)) {
          break;
        }
      }
      assertThat(seen.toString()).as("child output").contains(FaultPoints.PAUSED);
      child.destroyForcibly();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(f.clearedValues()).hasSizeLessThan(lostKeyValues.size());
    if (kind == DatabaseKind.POSTGRESQL) {
      // Three batches were committed before the kill. (H2 writes commits to its file up to a
      // second later, so a killed process may lose them; the rerun redoes that work either way.)
      assertThat(f.clearedValues()).hasSize(6);
    }
    boolean resumed = kind == DatabaseKind.POSTGRESQL;

    RecoveryFixture.Run rerun = f.recoverConfirmed(SMALL_BATCHES);

    assertThat(rerun.exit()).as(rerun.toString()).isZero();
    if (resumed) {
      assertThat(rerun.out())
          .contains("did not finish")
          .contains("Continuing with the new master key");
    }
    assertFinished(f, lostKeyValues);
  }

  /** The values a recovery must clear: all but the server certificate, which it replaces. */
  private static TreeSet<String> clearable(RecoveryFixture f) {
    TreeSet<String> values = new TreeSet<>(f.storedValues().keySet());
    values.remove(EncryptedFieldCatalogue.SERVER_CERTIFICATE_PRIVATE_KEY + "/server");
    assertThat(values).hasSize(ACCOUNTS + VARIABLES);
    return values;
  }

  private static void assertFinished(RecoveryFixture f, TreeSet<String> lostKeyValues) {
    SymmetricKey key = f.newKey();
    assertThat(f.notOpeningWith(key)).as("values not opening with the config's key").isEmpty();
    assertThat(new TreeSet<>(f.clearedValues().keySet())).isEqualTo(lostKeyValues);
    assertThat(f.clearedValues().values())
        .allMatch(
            l ->
                l.matches("Account token account \\d: token \\| /infrastructure/accounts/.+")
                    || l.matches(
                        "Sensitive variable Secret\\d of project Shop \\(scope: roles web\\): value"
                            + " \\| /projects/.+/variables"));
    try (Database db = f.open()) {
      assertThat(MasterKeyGate.check(new DatabaseMetadata(db.jdbi()), key))
          .isEqualTo(MasterKeyGate.Verdict.OPENS);
      new ServerCertificateStore(db.jdbi()).load(Barrier.unsealed(Keyring.of(key)));
      var recoveries =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT completed_at, cleared_count, new_key_id FROM recoveries")
                          .mapToMap()
                          .list());
      assertThat(recoveries).hasSize(1);
      assertThat(recoveries.get(0).get("completed_at")).isNotNull();
      assertThat(((Number) recoveries.get(0).get("cleared_count")).longValue())
          .isEqualTo(lostKeyValues.size());
      assertThat(recoveries.get(0).get("new_key_id")).isEqualTo(key.keyId());
      long events =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT COUNT(*) FROM events WHERE category ="
                                  + " 'LostMasterKeyRecovery'")
                          .mapTo(Long.class)
                          .one());
      assertThat(events).isEqualTo(1);
    }
  }

  private static Map<String, String> withFault(String point) {
    return Map.of(FaultPoints.BATCH_SIZE, "2", FaultPoints.FAIL_AT, point);
  }

  private static String thumbprint(RecoveryFixture f) {
    try (Database db = f.open()) {
      return new ServerCertificateStore(db.jdbi()).current().orElseThrow().thumbprint();
    }
  }
}
