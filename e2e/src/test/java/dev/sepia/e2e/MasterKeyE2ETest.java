package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.Keys;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Backing up the master key (show-master-key) and giving it back (set-master-key). */
class MasterKeyE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  SepiaServerCli machine;

  @BeforeEach
  void setUp() {
    machine = new SepiaServerCli(tmp.resolve("machineA"), tmp);
  }

  @Test
  void showMasterKey_printsOnlyTheBase64Key_andJsonAddsItsKeyId() throws Exception {
    TestInstance shop =
        TestInstance.withNewDatabase(machine, tmp, "Shop", Engine.H2.newDatabase(tmp));

    CliResult text = shop.run("show-master-key").succeeded();
    CliResult json = shop.run("show-master-key", "--format", "json").succeeded();

    assertThat(text.stdout().lines()).hasSize(1);
    String key = text.out();
    assertThat(key).hasSize(44);
    assertThat(Base64.getDecoder().decode(key)).hasSize(32);
    JsonNode parsed = JSON.readTree(json.stdout());
    assertThat(parsed.get("masterKey").asText()).isEqualTo(key);
    assertThat(parsed.get("keyId").asText()).matches("[0-9a-f]{8}");
  }

  /**
   * The lost-machine runbook: a new instance has only the connection string (saved with a warning)
   * until the backed-up key is put in its config.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void setMasterKey_withTheRightKey_letsAnInstanceWithoutOneOpenTheDatabase(Engine engine) {
    TestDatabase db = engine.newDatabase(tmp);
    String key = TestInstance.withNewDatabase(machine, tmp, "Original", db).masterKey();
    TestInstance restored = TestInstance.create(machine, tmp, "Restored");
    restored.run("database", "--connectionString", db.url()).succeeded();

    CliResult set = restored.run("set-master-key", "--masterKey", key).succeeded();

    assertThat(set.stdout())
        .contains("is saved in")
        .contains("Restart the server")
        .doesNotContain(key);
    // Only the right key, saved, lets the instance read the certificate's private key.
    assertThat(restored.thumbprint()).isEqualTo(db.storedThumbprint());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void setMasterKey_withAWrongKey_isRefusedAndTheConfigIsUnchanged(Engine engine) {
    TestDatabase db = engine.newDatabase(tmp);
    TestInstance shop = TestInstance.withNewDatabase(machine, tmp, "Shop", db);
    String configBefore = shop.configFileContent();
    String verifierBefore = db.metadata("master_key_verifier").orElseThrow();
    String wrongKey = Keys.someOtherMasterKey();

    CliResult refused =
        shop.run("set-master-key", "--masterKey", wrongKey).exited(CliResult.FAILED);

    assertThat(refused.error())
        .contains("does not open the instance's database")
        .contains("The config was not changed")
        .doesNotContain(wrongKey);
    assertThat(shop.configFileContent()).isEqualTo(configBefore);
    assertThat(db.metadata("master_key_verifier")).hasValue(verifierBefore);
  }

  @Test
  void setMasterKey_withA128BitKey_isBadUsageAndTheConfigIsUnchanged() {
    TestInstance shop =
        TestInstance.withNewDatabase(machine, tmp, "Shop", Engine.H2.newDatabase(tmp));
    String configBefore = shop.configFileContent();

    CliResult refused =
        shop.run("set-master-key", "--masterKey", Keys.a128BitKey()).exited(CliResult.BAD_USAGE);

    assertThat(refused.error()).contains("256 bits");
    assertThat(shop.configFileContent()).isEqualTo(configBefore);
  }
}
