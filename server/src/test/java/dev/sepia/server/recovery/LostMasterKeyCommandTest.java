package dev.sepia.server.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.audit.AuditLog;
import dev.sepia.server.certificate.ServerCertificateStore;
import dev.sepia.server.model.accounts.AccountStore;
import dev.sepia.server.model.projects.ProjectStore;
import dev.sepia.server.model.releases.ReleaseSnapshots;
import dev.sepia.server.model.releases.ReleaseStore;
import dev.sepia.server.security.Barrier;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.startup.OpenInstance;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.ServerNodes;
import dev.sepia.server.store.TestDatabases;
import dev.sepia.server.store.catalogue.EncryptedField;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What an operator sees when recovering a database whose master key is lost. */
class LostMasterKeyCommandTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void lostMasterKey_clearsEveryValueOfTheLostKey_listsIt_andTheServerOpensAgain(DatabaseKind kind)
      throws Exception {
    RecoveryFixture f = RecoveryFixture.populated(temp, TestDatabases.emptyDatabase(kind, temp));
    SymmetricKey oldKey = f.oldKey();
    Map<String, String> before = f.storedValues();
    String oldThumbprint = thumbprint(f);
    f.lostKeyInstance();

    RecoveryFixture.Run run = f.recoverConfirmed(Map.of());

    assertThat(run.exit()).as(run.toString()).isZero();
    SymmetricKey newKey = f.newKey();
    assertThat(newKey.keyId()).isNotEqualTo(oldKey.keyId());
    // Nothing sealed with the old key is left, and what is left opens with the new key.
    assertThat(f.notOpeningWith(newKey)).isEmpty();
    assertThat(f.storedValues().keySet())
        .containsExactly(EncryptedFieldCatalogue.SERVER_CERTIFICATE_PRIVATE_KEY + "/server");

    // Every value that was stored (except the certificate, which is replaced) is listed.
    TreeSet<String> expected = new TreeSet<>(before.keySet());
    expected.remove(EncryptedFieldCatalogue.SERVER_CERTIFICATE_PRIVATE_KEY + "/server");
    Map<String, String> cleared = f.clearedValues();
    assertThat(new TreeSet<>(cleared.keySet())).isEqualTo(expected);
    for (EncryptedField field : EncryptedFieldCatalogue.all()) {
      if (field.whenKeyLost() == EncryptedField.WhenKeyLost.CLEAR) {
        assertThat(cleared.keySet())
            .as("cleared %s", field)
            .anyMatch(k -> k.startsWith(field + "/"));
      }
    }
    assertThat(cleared.values())
        .contains(
            "Sensitive variable DbPassword of project Shop (scope: environments Production): value"
                + " | /projects/"
                + projectId(f)
                + "/variables")
        .anyMatch(
            l ->
                l.startsWith(
                    "Sensitive variable LibraryPassword of library variable set Shared: value | /library-sets/"))
        .anyMatch(
            l ->
                l.startsWith(
                        "Sensitive step parameter ApiKey of step Install in project Shop: value | /projects/")
                    && l.endsWith("/process"))
        .anyMatch(
            l -> l.startsWith("Account deploy password: password | /infrastructure/accounts/"))
        .anyMatch(l -> l.startsWith("Account api token: token | /infrastructure/accounts/"))
        .anyMatch(
            l ->
                l.startsWith("Certificate shop-tls (thumbprint ")
                    && l.contains("| /infrastructure/certificates/"))
        .anyMatch(
            l ->
                l.startsWith(
                    "Offline package drop target drop01: bundle encryption password | /infrastructure/targets/"))
        .anyMatch(
            l ->
                l.startsWith(
                    "Release snapshot DbPassword in release 1.0.0 of project Shop: sensitive value | /projects/"));

    try (Database db = f.open()) {
      DatabaseMetadata metadata = new DatabaseMetadata(db.jdbi());
      assertThat(MasterKeyGate.check(metadata, newKey)).isEqualTo(MasterKeyGate.Verdict.OPENS);
      assertThat(MasterKeyGate.check(metadata, oldKey))
          .isEqualTo(MasterKeyGate.Verdict.DOES_NOT_OPEN);
      var certificates = new ServerCertificateStore(db.jdbi());
      String thumbprint = certificates.current().orElseThrow().thumbprint();
      assertThat(thumbprint).isNotEqualTo(oldThumbprint);
      certificates.load(Barrier.unsealed(Keyring.of(newKey)));
      assertThat(run.out()).contains("New server certificate thumbprint: " + thumbprint);
      assertThat(run.out())
          .contains("sepia-tentacle configure --reset-trust --trust=\"" + thumbprint + "\"");

      var events = new AuditLog(db.jdbi()).latest(5);
      assertThat(events)
          .anyMatch(
              e ->
                  e.category().equals("LostMasterKeyRecovery")
                      && e.message().contains("cleared " + expected.size())
                      && e.message().contains(thumbprint)
                      && !e.message().contains(RecoveryFixture.MARK));
      var recovery =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT completed_at, new_thumbprint, cleared_count, report_path,"
                                  + " new_key_id FROM recoveries")
                          .mapToMap()
                          .one());
      assertThat(recovery.get("completed_at")).isNotNull();
      assertThat(recovery.get("new_thumbprint")).isEqualTo(thumbprint);
      assertThat(((Number) recovery.get("cleared_count")).longValue()).isEqualTo(expected.size());
      assertThat(recovery.get("new_key_id")).isEqualTo(newKey.keyId());

      // The report: every cleared value with its owner and link, and the Tentacle commands.
      Path markdown = Path.of((String) recovery.get("report_path"));
      assertThat(markdown).exists().startsWith(f.newHome().resolve("Reports").toAbsolutePath());
      assertThat(markdown.getFileName().toString()).matches("lost-master-key-\\d{8}T\\d{6}Z\\.md");
      Path json =
          markdown.resolveSibling(markdown.getFileName().toString().replace(".md", ".json"));
      assertThat(json).exists();
      assertThat(run.out()).contains(markdown.toString());
      String report = Files.readString(markdown);
      String jsonReport = Files.readString(json);
      for (String value : cleared.values()) {
        String label = value.substring(0, value.indexOf(" | "));
        String link = value.substring(value.indexOf(" | ") + 3);
        assertThat(report).contains(label).contains(link);
        assertThat(jsonReport).contains(link);
      }
      assertThat(report)
          .contains("sepia-tentacle service --stop")
          .contains("sepia-tentacle configure --reset-trust --trust=\"" + thumbprint + "\"")
          .contains("sepia-tentacle service --start")
          .contains("sepia-server show-master-key")
          .doesNotContain(RecoveryFixture.MARK);
      assertThat(jsonReport).contains(thumbprint).doesNotContain(RecoveryFixture.MARK);
    }

    // The server opens its database again, and what was cleared says so where it is needed.
    ServerEnvironment environment = new ServerEnvironment(f.newEnv);
    try (OpenInstance instance =
        OpenInstance.open(
            environment, environment.registry().resolve(RecoveryFixture.NEW_INSTANCE))) {
      instance
          .jdbi()
          .useHandle(
              h -> {
                var project = ProjectStore.findByName(h, "Shop").orElseThrow();
                assertThatThrownBy(
                        () -> new ReleaseSnapshots(instance.barrier()).freeze(h, project))
                    .isInstanceOf(ClearedValueException.class)
                    .hasMessageContaining("was cleared by a recovery from a lost master key")
                    .hasMessageContaining("Projects › Shop ›");
                String release = h.createQuery("SELECT id FROM releases").mapTo(String.class).one();
                assertThatThrownBy(
                        () -> ReleaseStore.openSensitiveValues(h, instance.barrier(), release))
                    .isInstanceOf(ClearedValueException.class)
                    .hasMessageContaining("in release 1.0.0 of project Shop was cleared");
                String account =
                    h.createQuery("SELECT id FROM accounts WHERE name = 'api token'")
                        .mapTo(String.class)
                        .one();
                assertThatThrownBy(() -> AccountStore.open(h, instance.barrier(), account))
                    .hasMessageContaining("token of account api token was cleared")
                    .hasMessageContaining("Infrastructure › Accounts › api token");
              });
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void currentKeyOpensTheDatabase_isRefused_andNothingChanges(DatabaseKind kind) {
    RecoveryFixture f = RecoveryFixture.created(temp, TestDatabases.emptyDatabase(kind, temp));
    f.seedDirectly(2, 2);
    Snapshot before = Snapshot.of(f, f.oldEnv, "Old");

    RecoveryFixture.Run run =
        RecoveryFixture.run(
            f.oldEnv,
            "lost-master-key",
            "--iReallyWantToResetAllMySensitiveData",
            "--iHaveBackedUpMyDatabase");

    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .contains("opens this database: nothing is lost")
        .contains("--skipCurrentMasterKeyTest");
    assertThat(Snapshot.of(f, f.oldEnv, "Old")).isEqualTo(before);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void skipCurrentMasterKeyTest_onADatabaseTheKeyOpens_keepsKeyValuesAndCertificate(
      DatabaseKind kind) {
    RecoveryFixture f = RecoveryFixture.created(temp, TestDatabases.emptyDatabase(kind, temp));
    f.seedDirectly(2, 2);
    Snapshot before = Snapshot.of(f, f.oldEnv, "Old");

    RecoveryFixture.Run run =
        RecoveryFixture.run(
            f.oldEnv,
            "lost-master-key",
            "--skipCurrentMasterKeyTest",
            "--iReallyWantToResetAllMySensitiveData",
            "--iHaveBackedUpMyDatabase");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("cleared 0 sensitive value(s)")
        .contains("Kept server certificate");
    Snapshot after = Snapshot.of(f, f.oldEnv, "Old");
    assertThat(after.keyId()).isEqualTo(before.keyId());
    assertThat(after.values()).isEqualTo(before.values());
    assertThat(after.thumbprint()).isEqualTo(before.thumbprint());
    assertThat(f.clearedValues()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aLiveServerNode_isNamed_andTheRecoveryRefused(DatabaseKind kind) {
    RecoveryFixture f = RecoveryFixture.created(temp, TestDatabases.emptyDatabase(kind, temp));
    f.seedDirectly(1, 1);
    try (Database db = f.open()) {
      new ServerNodes(db.jdbi())
          .started(
              "node-a", ServerNodes.hostName(), ProcessHandle.current().pid(), "http://x:8050");
    }
    f.lostKeyInstance();
    Snapshot before = Snapshot.of(f, f.newEnv, RecoveryFixture.NEW_INSTANCE);

    RecoveryFixture.Run run = f.recoverConfirmed(Map.of());

    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("node-a").contains("sepia-server service --stop");
    assertThat(Snapshot.of(f, f.newEnv, RecoveryFixture.NEW_INSTANCE)).isEqualTo(before);
  }

  @Test
  void withoutTerminal_andWithoutTheFlags_isRefused() {
    RecoveryFixture f =
        RecoveryFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    f.seedDirectly(1, 1);
    f.lostKeyInstance();
    Snapshot before = Snapshot.of(f, f.newEnv, RecoveryFixture.NEW_INSTANCE);

    RecoveryFixture.Run run = f.recover(Map.of());

    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).contains("1  Account: token").contains("cannot be undone");
    assertThat(run.err())
        .contains("No terminal")
        .contains("--iReallyWantToResetAllMySensitiveData --iHaveBackedUpMyDatabase");
    assertThat(Snapshot.of(f, f.newEnv, RecoveryFixture.NEW_INSTANCE)).isEqualTo(before);
  }

  @Test
  void onlyOneOfTheTwoFlags_isBadUsage() {
    RecoveryFixture f =
        RecoveryFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    f.seedDirectly(1, 1);
    f.lostKeyInstance();
    Snapshot before = Snapshot.of(f, f.newEnv, RecoveryFixture.NEW_INSTANCE);

    for (String flag :
        List.of("--iReallyWantToResetAllMySensitiveData", "--iHaveBackedUpMyDatabase")) {
      RecoveryFixture.Run run = f.recover(Map.of(), flag);
      assertThat(run.exit()).as(run.toString()).isEqualTo(2);
      assertThat(run.err()).contains("Pass both");
    }
    assertThat(Snapshot.of(f, f.newEnv, RecoveryFixture.NEW_INSTANCE)).isEqualTo(before);
  }

  /** Everything a refused run must leave as it was. */
  record Snapshot(
      String keyId,
      Map<String, String> values,
      String thumbprint,
      String verifier,
      long recoveries) {
    static Snapshot of(RecoveryFixture f, Map<String, String> env, String instance) {
      Map<String, String> values = f.storedValues();
      try (Database db = f.open()) {
        return new Snapshot(
            f.key(env, instance).keyId(),
            values,
            new ServerCertificateStore(db.jdbi()).current().orElseThrow().thumbprint(),
            new DatabaseMetadata(db.jdbi()).get(DatabaseMetadata.MASTER_KEY_VERIFIER).orElseThrow(),
            db.jdbi()
                .withHandle(
                    h -> h.createQuery("SELECT COUNT(*) FROM recoveries").mapTo(Long.class).one()));
      }
    }
  }

  private static String thumbprint(RecoveryFixture f) {
    try (Database db = f.open()) {
      return new ServerCertificateStore(db.jdbi()).current().orElseThrow().thumbprint();
    }
  }

  private static String projectId(RecoveryFixture f) {
    try (Database db = f.open()) {
      return db.jdbi()
          .withHandle(
              h ->
                  h.createQuery("SELECT id FROM projects WHERE name = 'Shop'")
                      .mapTo(String.class)
                      .one());
    }
  }
}
