package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.Keys;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.SharedPostgres;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The database command: building a new database, joining an existing one, and upgrading. */
class DatabaseE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NEW_KEY_ID = Pattern.compile("master key \\(id ([0-9a-f]{8})\\)");

  @TempDir Path tmp;
  SepiaServerCli machine;

  @BeforeEach
  void setUp() {
    machine = new SepiaServerCli(tmp.resolve("machineA"), tmp);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void databaseCreate_buildsTheDatabase_printsTheThumbprint_andSaysToBackUpTheNewMasterKey(
      Engine engine) throws Exception {
    TestDatabase db = engine.newDatabase(tmp);
    TestInstance shop = TestInstance.create(machine, tmp, "Shop");

    CliResult created =
        shop.run("database", "--connectionString", db.url(), "--create").succeeded();

    String thumbprint = TestInstance.onlyThumbprintIn(created.stdout());
    assertThat(created.stdout())
        .contains("Created the Sepia database")
        .contains("Back up the master key")
        .contains("sepia-server show-master-key --instance Shop");
    Matcher keyId = NEW_KEY_ID.matcher(created.stdout());
    assertThat(keyId.find()).as("a new master key id in %s", created).isTrue();

    JsonNode key = JSON.readTree(shop.run("show-master-key", "--format", "json").stdout());
    assertThat(key.get("keyId").asText()).isEqualTo(keyId.group(1));
    assertThat(shop.thumbprint()).isEqualTo(thumbprint);
    assertThat(db.storedThumbprint()).isEqualTo(thumbprint);
    assertThat(db.metadata("master_key_verifier"))
        .hasValueSatisfying(
            verifier -> assertThat(verifier).doesNotContain(key.get("masterKey").asText()));
    assertThat(db.rows("SELECT category FROM events")).contains(List.of("DatabaseCreated"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void databaseCreate_onAnExistingSepiaDatabase_createsNothing(Engine engine) {
    TestDatabase db = engine.newDatabase(tmp);
    TestInstance shop = TestInstance.withNewDatabase(machine, tmp, "Shop", db);
    String thumbprint = db.storedThumbprint();
    List<List<String>> metadataBefore = db.snapshot("sepia_metadata");

    CliResult again = shop.run("database", "--connectionString", db.url(), "--create").succeeded();

    assertThat(again.stdout()).contains("already a Sepia database; there is nothing to create");
    assertThat(db.snapshot("sepia_metadata")).isEqualTo(metadataBefore);
    // The instance's own key still opens the database, and the certificate is the same one.
    assertThat(shop.thumbprint()).isEqualTo(thumbprint);
  }

  @Test
  void databaseCreate_onPostgresql_createsADatabaseThatDoesNotExistYet() {
    TestDatabase missing =
        new TestDatabase(Engine.POSTGRESQL, SharedPostgres.connectionStringForMissingDatabase());
    TestInstance shop = TestInstance.create(machine, tmp, "Shop");

    CliResult created =
        shop.run("database", "--connectionString", missing.url(), "--create").succeeded();

    assertThat(missing.hasSepiaSchema()).isTrue();
    assertThat(missing.storedThumbprint())
        .isEqualTo(TestInstance.onlyThumbprintIn(created.stdout()));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void database_withoutCreate_onADatabaseThatIsNotSepias_isRefusedAndChangesNothing(Engine engine) {
    TestDatabase empty = engine.newDatabase(tmp);
    TestInstance shop = TestInstance.create(machine, tmp, "Shop");
    String configBefore = shop.configFileContent();

    CliResult refused =
        shop.run("database", "--connectionString", empty.url()).exited(CliResult.FAILED);

    assertThat(refused.error()).contains("--create");
    assertThat(shop.configFileContent()).isEqualTo(configBefore);
    assertThat(empty.hasSepiaSchema()).isFalse();
    if (engine == Engine.H2) {
      assertThat(empty.h2File()).doesNotExist();
    }
  }

  @Test
  void database_withAConnectionStringSepiaDoesNotSupport_isBadUsageAndChangesNothing() {
    TestInstance shop = TestInstance.create(machine, tmp, "Shop");
    String configBefore = shop.configFileContent();

    CliResult refused =
        shop.run("database", "--connectionString", "jdbc:mysql://x", "--create")
            .exited(CliResult.BAD_USAGE);

    assertThat(refused.error())
        .contains("not one Sepia supports")
        .contains("jdbc:h2:file:")
        .contains("jdbc:postgresql://");
    assertThat(shop.configFileContent()).isEqualTo(configBefore);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void secondInstance_givenTheRightMasterKey_usesTheSameDatabaseAndCertificate(Engine engine) {
    TestDatabase db = engine.newDatabase(tmp);
    String key = TestInstance.withNewDatabase(machine, tmp, "First", db).masterKey();
    TestInstance second = TestInstance.create(machine, tmp, "Second");

    CliResult joined =
        second.run("database", "--connectionString", db.url(), "--masterKey", key).succeeded();

    assertThat(joined.stdout()).contains("Instance 'Second' uses the Sepia database");
    assertThat(joined.stdout()).doesNotContain(key);
    assertThat(second.thumbprint()).isEqualTo(db.storedThumbprint());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void database_withAWrongMasterKey_isRefusedAndChangesNothing(Engine engine) {
    TestDatabase db = engine.newDatabase(tmp);
    TestInstance.withNewDatabase(machine, tmp, "First", db);
    String verifierBefore = db.metadata("master_key_verifier").orElseThrow();
    List<List<String>> eventsBefore = db.snapshot("events");
    TestInstance second = TestInstance.create(machine, tmp, "Second");
    String configBefore = second.configFileContent();
    String wrongKey = Keys.someOtherMasterKey();

    CliResult refused =
        second
            .run("database", "--connectionString", db.url(), "--masterKey", wrongKey)
            .exited(CliResult.FAILED);

    assertThat(refused.error())
        .contains("does not open this database")
        .contains("Nothing was changed")
        .doesNotContain(wrongKey);
    assertThat(second.configFileContent()).isEqualTo(configBefore);
    assertThat(db.metadata("master_key_verifier")).hasValue(verifierBefore);
    assertThat(db.snapshot("events")).isEqualTo(eventsBefore);
  }

  @Test
  void database_withA128BitMasterKey_isBadUsageSayingKeysAre256Bits() {
    TestDatabase db = Engine.H2.newDatabase(tmp);
    TestInstance.withNewDatabase(machine, tmp, "First", db);
    TestInstance second = TestInstance.create(machine, tmp, "Second");
    String configBefore = second.configFileContent();

    CliResult refused =
        second
            .run("database", "--connectionString", db.url(), "--masterKey", Keys.a128BitKey())
            .exited(CliResult.BAD_USAGE);

    assertThat(refused.error()).contains("--masterKey").contains("256 bits");
    assertThat(second.configFileContent()).isEqualTo(configBefore);
  }

  /** What happens next (run and service refuse, writing nothing) is in StartupRefusalE2ETest. */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void database_thatTheInstanceKeyDoesNotOpen_isSavedWithAWarningNamingLostMasterKey(
      Engine engine) {
    TestDatabase db = engine.newDatabase(tmp);
    TestInstance.withNewDatabase(machine, tmp, "First", db);
    TestInstance second =
        TestInstance.withNewDatabase(machine, tmp, "Second", engine.newDatabase(tmp));

    // No --masterKey: the first step of the lost-key runbook, so the connection string is kept.
    CliResult saved = second.run("database", "--connectionString", db.url()).succeeded();

    assertThat(saved.stdout())
        .contains("Saved the connection string")
        .contains("WARNING")
        .contains("does not open this database")
        .contains("database --instance Second --masterKey")
        .contains("set-master-key --instance Second --masterKey")
        .contains("sepia-server lost-master-key --instance Second");
    assertThat(second.run("show-configuration").succeeded().stdout()).contains(db.url());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void databaseUpgrade_onACurrentSchema_saysItIsCurrent(Engine engine) {
    TestDatabase db = engine.newDatabase(tmp);
    TestInstance shop = TestInstance.withNewDatabase(machine, tmp, "Shop", db);
    List<List<String>> metadataBefore = db.snapshot("sepia_metadata");

    CliResult upgraded = shop.run("database", "--upgrade").succeeded();

    assertThat(upgraded.stdout()).contains("The schema is already current");
    assertThat(db.snapshot("sepia_metadata")).isEqualTo(metadataBefore);
  }

  /**
   * An audit log that says an upgrade happened when the command itself says there was nothing to
   * upgrade misleads whoever reads it after an incident.
   */
  @Test
  void databaseUpgrade_onACurrentSchema_recordsNoUpgradeInTheAuditLog() {
    TestDatabase db = Engine.H2.newDatabase(tmp);
    TestInstance shop = TestInstance.withNewDatabase(machine, tmp, "Shop", db);

    shop.run("database", "--upgrade").succeeded();

    assertThat(db.rows("SELECT category, message FROM events"))
        .noneSatisfy(row -> assertThat(row.get(0)).isEqualTo("DatabaseUpgraded"));
  }
}
