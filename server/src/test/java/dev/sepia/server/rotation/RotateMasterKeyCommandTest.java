package dev.sepia.server.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.crypto.Keyring;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.platform.instance.InstanceRecord;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.recovery.FaultPoints;
import dev.sepia.server.security.MasterKeyGate;
import dev.sepia.server.startup.OpenInstance;
import dev.sepia.server.startup.ServerEnvironment;
import dev.sepia.server.store.Database;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.DatabaseMetadata;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What an operator sees when rotating the master key of a database no server is using. */
class RotateMasterKeyCommandTest {
  @TempDir Path temp;

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void rotation_reEncryptsEverything_keepsTheCertificate_andTheOldKeyOpensNothing(DatabaseKind kind)
      throws Exception {
    RotationFixture f = RotationFixture.created(temp, TestDatabases.emptyDatabase(kind, temp));
    SymmetricKey oldKey = f.key();
    f.seed(oldKey, 3, 4);
    Map<String, String> plaintexts = f.opened(Keyring.of(oldKey));
    assertThat(plaintexts).hasSize(8).doesNotContainValue(RotationFixture.DOES_NOT_OPEN);
    String thumbprint = f.thumbprint();

    RotationFixture.Run run = f.rotate(Map.of(), "--yes");

    assertThat(run.exit()).as(run.toString()).isZero();
    SymmetricKey newKey = f.key();
    assertThat(newKey.keyId()).isNotEqualTo(oldKey.keyId());
    assertThat(f.keyIds().values()).containsOnly(newKey.keyId());
    assertThat(f.opened(Keyring.of(newKey))).isEqualTo(plaintexts);
    assertThat(f.opened(Keyring.of(oldKey)).values()).containsOnly(RotationFixture.DOES_NOT_OPEN);
    assertThat(f.thumbprint()).isEqualTo(thumbprint);
    ServerConfig config = f.configOf(f.env, RotationFixture.INSTANCE);
    assertThat(config.retiringMasterKey()).isEmpty();
    assertThat(config.file().entries()).doesNotContainKey(ServerConfig.RETIRING_MASTER_KEY);
    try (Database db = f.open()) {
      DatabaseMetadata metadata = new DatabaseMetadata(db.jdbi());
      assertThat(MasterKeyGate.check(metadata, newKey)).isEqualTo(MasterKeyGate.Verdict.OPENS);
      assertThat(MasterKeyGate.check(metadata, oldKey))
          .isEqualTo(MasterKeyGate.Verdict.DOES_NOT_OPEN);
      assertThat(metadata.get(DatabaseMetadata.RETIRING_MASTER_KEY_VERIFIER)).isEmpty();
    }
    assertThat(run.out())
        .contains("Rotation complete: master key id " + oldKey.keyId() + " → " + newKey.keyId())
        .contains("re-encrypted 8 value(s)")
        .contains("Kept server certificate thumbprint: " + thumbprint)
        .contains("show-master-key")
        .doesNotContain(dev.sepia.crypto.InsecureKeyAccess.toBase64(newKey))
        .doesNotContain(dev.sepia.crypto.InsecureKeyAccess.toBase64(oldKey));

    Path reports = f.home().resolve("Reports");
    List<Path> files;
    try (Stream<Path> list = Files.list(reports)) {
      files = list.sorted().toList();
    }
    assertThat(files.stream().map(p -> p.getFileName().toString()))
        .hasSize(2)
        .allMatch(n -> n.matches("rotate-master-key-\\d{8}T\\d{6}Z\\.(md|json)"));
    String markdown = Files.readString(files.get(1));
    assertThat(markdown)
        .contains("Master key id: " + oldKey.keyId() + " → " + newKey.keyId())
        .contains("Thumbprint: **" + thumbprint + "**")
        .contains("| Sensitive variable: value | 4 |")
        .contains("| Account: token | 3 |")
        .contains("| Server certificate: private key (used for Tentacle communication) | 1 |")
        .contains(
            "Backups taken before this rotation open only with the OLD master key (id "
                + oldKey.keyId())
        .doesNotContain(dev.sepia.crypto.InsecureKeyAccess.toBase64(newKey));
    String json = Files.readString(files.get(0));
    assertThat(json).contains("\"newMasterKeyId\" : \"" + newKey.keyId() + "\"");
    assertThat(
            f.count(
                "SELECT COUNT(*) FROM events WHERE category = 'MasterKeyRotation' AND message LIKE"
                    + " 'Rotated the master key%'"))
        .isEqualTo(1);
    assertThat(f.count("SELECT COUNT(*) FROM key_rotations WHERE completed_at IS NOT NULL"))
        .isEqualTo(1);

    // The server starts with the new key alone.
    ServerEnvironment environment = new ServerEnvironment(f.env);
    InstanceRecord record = environment.registry().resolve(RotationFixture.INSTANCE);
    try (OpenInstance open = OpenInstance.open(environment, record)) {
      assertThat(open.barrier().keyIds()).containsExactly(newKey.keyId());
    }
  }

  @Test
  void withoutTerminalOrYes_isRefusedAsBadUsage_andNothingChanges() {
    RotationFixture f =
        RotationFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    SymmetricKey key = f.key();

    RotationFixture.Run run = f.rotate(Map.of());

    assertThat(run.exit()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("--yes").contains("Nothing was changed.");
    assertThat(f.key().keyId()).isEqualTo(key.keyId());
    assertThat(f.count("SELECT COUNT(*) FROM key_rotations")).isZero();
  }

  @Test
  void configAheadOfTheDatabase_isRefusedAtStartUp_sayingToRunTheRotationAgain() {
    RotationFixture f =
        RotationFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    RotationFixture.Run crashed = f.rotate(Map.of(FaultPoints.FAIL_AT, "after-key-saved"), "--yes");
    assertThat(crashed.exit()).isNotZero();

    ServerEnvironment environment = new ServerEnvironment(f.env);
    InstanceRecord record = environment.registry().resolve(RotationFixture.INSTANCE);
    assertThatThrownBy(() -> OpenInstance.open(environment, record))
        .hasMessageContaining("interrupted before the database recorded it")
        .hasMessageContaining("sepia-server rotate-master-key --instance Main");
  }

  @Test
  void duringARotation_theServerOpensWithBothKeys_andSealsWithTheNewOneOnlyOnceAllHoldIt() {
    RotationFixture f =
        RotationFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    SymmetricKey oldKey = f.key();
    f.seed(oldKey, 2, 2);
    RotationFixture.Run stopped =
        f.rotate(Map.of(FaultPoints.FAIL_AT, "after-rotation-recorded"), "--yes");
    assertThat(stopped.exit()).isNotZero();
    SymmetricKey newKey = f.key();

    ServerEnvironment environment = new ServerEnvironment(f.env);
    InstanceRecord record = environment.registry().resolve(RotationFixture.INSTANCE);
    // The new key is still being handed out: it opens, the old key seals.
    try (OpenInstance open = OpenInstance.open(environment, record)) {
      assertThat(open.barrier().activeKeyId()).isEqualTo(oldKey.keyId());
      assertThat(open.barrier().keyIds()).containsExactlyInAnyOrder(oldKey.keyId(), newKey.keyId());
    }

    RotationFixture.Run sealing =
        f.rotate(Map.of(FaultPoints.FAIL_AT, "after-sealing-started"), "--yes");
    assertThat(sealing.exit()).isNotZero();
    try (OpenInstance open = OpenInstance.open(environment, record)) {
      assertThat(open.barrier().activeKeyId()).isEqualTo(newKey.keyId());
      assertThat(open.barrier().keyIds()).containsExactlyInAnyOrder(oldKey.keyId(), newKey.keyId());
    }
  }

  @Test
  void keyLostDuringARotation_recoveryClosesTheRotation_andTheServerOpensAgain() {
    RotationFixture f =
        RotationFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    f.seed(f.key(), 1, 1);
    RotationFixture.Run stopped =
        f.rotate(Map.of(FaultPoints.FAIL_AT, "after-rotation-recorded"), "--yes");
    assertThat(stopped.exit()).isNotZero();
    // Both keys are lost with the config's protected settings.
    ServerConfig config = f.configOf(f.env, RotationFixture.INSTANCE);
    config.file().remove(ServerConfig.MASTER_KEY);
    config.removeRetiringMasterKey();
    config.save();

    RotationFixture.Run recovered =
        RotationFixture.run(
            f.env,
            "lost-master-key",
            "--instance",
            RotationFixture.INSTANCE,
            "--iReallyWantToResetAllMySensitiveData",
            "--iHaveBackedUpMyDatabase");

    assertThat(recovered.exit()).as(recovered.toString()).isZero();
    assertThat(f.count("SELECT COUNT(*) FROM key_rotations WHERE completed_at IS NULL")).isZero();
    ServerEnvironment environment = new ServerEnvironment(f.env);
    InstanceRecord record = environment.registry().resolve(RotationFixture.INSTANCE);
    try (OpenInstance open = OpenInstance.open(environment, record)) {
      assertThat(open.barrier().keyIds()).containsExactly(f.key().keyId());
    }
    // A new rotation can start afterwards.
    assertThat(f.rotate(Map.of(), "--yes").exit()).isZero();
  }

  @Test
  void aValueThatDoesNotOpen_stopsTheRotation_namingItsOwner_andLosesNothing() {
    RotationFixture f =
        RotationFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    SymmetricKey oldKey = f.key();
    f.seed(oldKey, 2, 3);
    f.seed(SymmetricKey.generate(), 0, 1); // sealed with a key nobody has
    Map<String, String> before = f.storedValues();

    RotationFixture.Run run = f.rotate(Map.of(), "--yes");

    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err())
        .contains("The value of sensitive variable Secret0 of project Shop")
        .contains("opens neither with the previous master key (id " + oldKey.keyId())
        .contains("lost-master-key --instance")
        .contains("--skipCurrentMasterKeyTest")
        .contains("nothing was lost");
    SymmetricKey newKey = f.key();
    Map<String, String> opened = f.opened(Keyring.of(oldKey).withActive(newKey));
    assertThat(opened.values().stream().filter(RotationFixture.DOES_NOT_OPEN::equals)).hasSize(1);
    assertThat(opened).hasSameSizeAs(before);

    // The way out the message names: clear only that value (both keys' values are kept)...
    RotationFixture.Run cleared =
        RotationFixture.run(
            f.env,
            "lost-master-key",
            "--instance",
            RotationFixture.INSTANCE,
            "--skipCurrentMasterKeyTest",
            "--iReallyWantToResetAllMySensitiveData",
            "--iHaveBackedUpMyDatabase");
    assertThat(cleared.exit()).as(cleared.toString()).isZero();
    assertThat(f.count("SELECT COUNT(*) FROM cleared_values")).isEqualTo(1);
    // ...then the rotation finishes, every other value as it was.
    RotationFixture.Run rerun = f.rotate(Map.of(), "--yes");
    assertThat(rerun.exit()).as(rerun.toString()).isZero();
    Map<String, String> after = f.opened(Keyring.of(newKey));
    assertThat(after).hasSize(before.size() - 1).doesNotContainValue(RotationFixture.DOES_NOT_OPEN);
    opened.forEach(
        (where, plaintext) -> {
          if (!plaintext.equals(RotationFixture.DOES_NOT_OPEN)) {
            assertThat(after).containsEntry(where, plaintext);
          }
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"set-master-key", "database"})
  void handingTheKeyToAnotherNode_duringARotation_takesTheNewKeyAndKeepsTheOldOne(String command) {
    RotationFixture f =
        RotationFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    SymmetricKey oldKey = f.key();
    f.seed(oldKey, 2, 2);
    // A second node: another machine (machine folder), its own config, the same database.
    Map<String, String> nodeB = Map.of("SEPIA_MACHINE_DIR", temp.resolve("machine-b").toString());
    Path configB = temp.resolve("b").resolve("server.config.json");
    f.must(nodeB, "create-instance", "--instance", "B", "--config", configB.toString());
    f.must(
        nodeB,
        "database",
        "--connectionString",
        f.url,
        "--masterKey",
        dev.sepia.crypto.InsecureKeyAccess.toBase64(oldKey));
    ServerEnvironment environmentB = new ServerEnvironment(nodeB);
    InstanceRecord recordB = environmentB.registry().resolve("B");
    // While the new key is being handed out nothing is sealed with it: B, with only the old key,
    // still opens the database and seals with the old key.
    RotationFixture.Run recorded =
        f.rotate(Map.of(FaultPoints.FAIL_AT, "after-rotation-recorded"), "--yes");
    assertThat(recorded.exit()).isNotZero();
    try (OpenInstance open = OpenInstance.open(environmentB, recordB)) {
      assertThat(open.barrier().keyIds()).containsExactly(oldKey.keyId());
    }

    RotationFixture.Run stopped = f.rotate(Map.of(FaultPoints.FAIL_AT, "after-nodes"), "--yes");
    assertThat(stopped.exit()).isNotZero();
    SymmetricKey newKey = f.key();

    // Once nodes seal with the new key, node B has only the old key and is told what to do.
    assertThatThrownBy(() -> OpenInstance.open(environmentB, recordB))
        .hasMessageContaining("is being rotated to key id " + newKey.keyId())
        .hasMessageContaining("set-master-key --instance B --masterKey <new key>");

    RotationFixture.Run handed =
        RotationFixture.run(
            nodeB,
            command,
            "--instance",
            "B",
            "--masterKey",
            dev.sepia.crypto.InsecureKeyAccess.toBase64(newKey));

    assertThat(handed.exit()).as(handed.toString()).isZero();
    assertThat(handed.out()).contains("kept as the retiring key");
    ServerConfig b = f.configOf(nodeB, "B");
    assertThat(b.masterKey().orElseThrow().keyId()).isEqualTo(newKey.keyId());
    assertThat(b.retiringMasterKey().orElseThrow().keyId()).isEqualTo(oldKey.keyId());
    try (OpenInstance open = OpenInstance.open(environmentB, recordB)) {
      assertThat(open.barrier().keyIds()).containsExactlyInAnyOrder(oldKey.keyId(), newKey.keyId());
      assertThat(open.barrier().activeKeyId()).isEqualTo(newKey.keyId());
    }

    RotationFixture.Run rerun = f.rotate(Map.of(), "--yes");
    assertThat(rerun.exit()).as(rerun.toString()).isZero();
    assertThat(f.keyIds().values()).containsOnly(newKey.keyId());
    // After the rotation node B opens with the new key alone; its leftover old key is ignored.
    try (OpenInstance open = OpenInstance.open(environmentB, recordB)) {
      assertThat(open.barrier().keyIds()).containsExactly(newKey.keyId());
    }
  }
}
