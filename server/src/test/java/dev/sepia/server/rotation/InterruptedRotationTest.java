package dev.sepia.server.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.recovery.FaultPoints;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rotation stopped at any point is finished by running the command again, and ends where an
 * uninterrupted run would: every value under the new key, opening to its original plaintext, the
 * old key opening nothing, the certificate kept, one completion event, the config holding only the
 * new key.
 */
class InterruptedRotationTest {
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
              "after-rotation-recorded",
              "after-sealing-started",
              "after-nodes",
              "in-batch-1",
              "after-batch-2",
              "in-batch-5",
              "after-walk",
              "before-complete",
              "after-complete")) {
        all.add(Arguments.of(kind, point));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}, stopped {1}")
  @MethodSource("faultPoints")
  void interruptedRotation_isFinishedByARerun(DatabaseKind kind, String point) {
    RotationFixture f = RotationFixture.created(temp, TestDatabases.emptyDatabase(kind, temp));
    SymmetricKey oldKey = f.key();
    f.seed(oldKey, ACCOUNTS, VARIABLES);
    Map<String, String> plaintexts = f.opened(Keyring.of(oldKey));
    String thumbprint = f.thumbprint();

    RotationFixture.Run failed =
        f.rotate(Map.of(FaultPoints.BATCH_SIZE, "2", FaultPoints.FAIL_AT, point), "--yes");
    assertThat(failed.exit()).as(failed.toString()).isNotZero();
    assertThat(failed.err()).contains("Test fault injected at " + point);
    // Mid-way, every value still opens with the two keys the config holds.
    SymmetricKey newKey = f.key();
    ServerConfig config = f.configOf(f.env, RotationFixture.INSTANCE);
    Keyring both = config.retiringMasterKey().map(Keyring::of).orElse(Keyring.of(newKey));
    assertThat(f.opened(both.withActive(newKey))).isEqualTo(plaintexts);

    RotationFixture.Run rerun = f.rotate(SMALL_BATCHES, "--yes");

    assertThat(rerun.exit()).as(rerun.toString()).isZero();
    assertFinished(f, oldKey, plaintexts, thumbprint);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void killedProcess_isFinishedByARerun(DatabaseKind kind) throws Exception {
    RotationFixture f = RotationFixture.created(temp, TestDatabases.emptyDatabase(kind, temp));
    SymmetricKey oldKey = f.key();
    f.seed(oldKey, ACCOUNTS, VARIABLES);
    Map<String, String> plaintexts = f.opened(Keyring.of(oldKey));
    String thumbprint = f.thumbprint();

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sepia.server.cli.ServerMain",
                "rotate-master-key",
                "--instance",
                RotationFixture.INSTANCE,
                "--yes")
            .redirectErrorStream(true);
    builder.environment().putAll(f.env);
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
    SymmetricKey newKey = f.key();
    if (kind == DatabaseKind.POSTGRESQL) {
      // Three batches were committed before the kill: the certificate alone, then two and two
      // variables. (H2 writes commits to its file up to a second later, so a killed process may
      // lose them, even the rotation's row; the rerun redoes that work.)
      assertThat(f.keyIds().values().stream().filter(newKey.keyId()::equals)).hasSize(5);
    }

    RotationFixture.Run rerun = f.rotate(SMALL_BATCHES, "--yes");

    assertThat(rerun.exit()).as(rerun.toString()).isZero();
    assertThat(rerun.out())
        .contains(
            kind == DatabaseKind.POSTGRESQL
                ? "Continuing the rotation started at"
                : "Continuing"); // the rotation, or (if H2 lost its row) its recording
    assertFinished(f, oldKey, plaintexts, thumbprint);
  }

  private static void assertFinished(
      RotationFixture f, SymmetricKey oldKey, Map<String, String> plaintexts, String thumbprint) {
    SymmetricKey newKey = f.key();
    assertThat(newKey.keyId()).isNotEqualTo(oldKey.keyId());
    assertThat(f.keyIds().values()).containsOnly(newKey.keyId());
    assertThat(f.opened(Keyring.of(newKey))).isEqualTo(plaintexts);
    assertThat(f.opened(Keyring.of(oldKey)).values()).containsOnly(RotationFixture.DOES_NOT_OPEN);
    assertThat(f.thumbprint()).isEqualTo(thumbprint);
    assertThat(f.configOf(f.env, RotationFixture.INSTANCE).retiringMasterKey()).isEmpty();
    assertThat(f.count("SELECT COUNT(*) FROM key_rotations")).isEqualTo(1);
    assertThat(f.count("SELECT COUNT(*) FROM key_rotations WHERE completed_at IS NOT NULL"))
        .isEqualTo(1);
    assertThat(
            f.count(
                "SELECT COUNT(*) FROM events WHERE category = 'MasterKeyRotation' AND message LIKE"
                    + " 'Rotated the master key%'"))
        .isEqualTo(1);
    assertThat(
            f.count(
                "SELECT COUNT(*) FROM sepia_metadata WHERE item_name ="
                    + " 'retiring_master_key_verifier'"))
        .isZero();
  }
}
