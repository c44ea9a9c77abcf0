package dev.sepia.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.InsecureKeyAccess;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.config.ServerConfig;
import dev.sepia.server.recovery.FaultPoints;
import dev.sepia.server.store.DatabaseKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the backup command writes, and what it refuses. */
class BackupCommandTest {
  @TempDir static Path shared;
  static BackupFixture source;

  @TempDir Path temp;

  @BeforeAll
  static void populate() throws Exception {
    source = BackupFixture.populated(shared, DatabaseKind.H2, running -> {});
  }

  @Test
  void backupWithTheKeyIncluded_neverHoldsTheKeyInClear() throws Exception {
    Path file = temp.resolve("b.zip");
    Path passphrase = Files.writeString(temp.resolve("p"), "a long passphrase");
    BackupFixture.Run run =
        BackupFixture.must(
            source.sourceEnv,
            "backup",
            "--file",
            file.toString(),
            "--includeMasterKey",
            "--passphraseFile",
            passphrase.toString(),
            "--instance",
            BackupFixture.SOURCE_INSTANCE);
    assertThat(run.out()).contains("is included, wrapped with the passphrase");

    SymmetricKey key = source.sourceKey();
    byte[] base64 = InsecureKeyAccess.toBase64(key).getBytes(StandardCharsets.US_ASCII);
    byte[] raw = InsecureKeyAccess.rawBytes(key);
    ByteArrayOutputStream everything = new ByteArrayOutputStream();
    everything.write(Files.readAllBytes(file));
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        everything.write(zip.getInputStream(entry).readAllBytes());
      }
      byte[] box = zip.getInputStream(zip.getEntry("master-key.box")).readAllBytes();
      assertThat(new String(box, 0, 22, StandardCharsets.US_ASCII))
          .isEqualTo("sepia-passphrase-box/1");
    }
    byte[] all = everything.toByteArray();
    assertThat(indexOf(all, base64)).isNegative();
    assertThat(indexOf(all, raw)).isNegative();
    assertThat(run.out()).doesNotContain(InsecureKeyAccess.toBase64(key));
  }

  @Test
  void existingFile_isNeverOverwritten() throws Exception {
    Path file = Files.writeString(temp.resolve("precious.zip"), "an older backup");
    BackupFixture.Run run =
        BackupFixture.run(
            source.sourceEnv,
            "backup",
            "--file",
            file.toString(),
            "--instance",
            BackupFixture.SOURCE_INSTANCE);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("already exists, and a backup never overwrites a file");
    assertThat(Files.readString(file)).isEqualTo("an older backup");
  }

  @Test
  void aConfigKeyThatDoesNotOpenTheDatabase_isRefused_andNothingIsWritten() {
    SymmetricKey right = source.sourceKey();
    SymmetricKey wrong = SymmetricKey.generate();
    ServerConfig config = BackupFixture.config(source.sourceEnv, BackupFixture.SOURCE_INSTANCE);
    config.setMasterKey(wrong);
    config.save();
    Path file = temp.resolve("untaggable.zip");
    try {
      BackupFixture.Run run =
          BackupFixture.run(
              source.sourceEnv,
              "backup",
              "--file",
              file.toString(),
              "--instance",
              BackupFixture.SOURCE_INSTANCE);
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err())
          .contains("(key id " + wrong.keyId() + ") does not open this database")
          .contains("sealed with key id " + right.keyId())
          .contains("set-master-key")
          .contains("Nothing was written");
      assertThat(file).doesNotExist();
      assertThat(file.resolveSibling("untaggable.zip.partial")).doesNotExist();
    } finally {
      config.setMasterKey(right);
      config.save();
    }
  }

  @Test
  void passphraseWithoutIncludeMasterKey_isBadUsage() {
    BackupFixture.Run run =
        BackupFixture.run(
            source.sourceEnv,
            "backup",
            "--file",
            temp.resolve("x.zip").toString(),
            "--passphraseEnv",
            "X",
            "--instance",
            BackupFixture.SOURCE_INSTANCE);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(temp.resolve("x.zip")).doesNotExist();
  }

  @Test
  void manifest_describesTheArchive() throws Exception {
    Path file = temp.resolve("m.zip");
    BackupFixture.must(
        source.sourceEnv,
        "backup",
        "--file",
        file.toString(),
        "--instance",
        BackupFixture.SOURCE_INSTANCE);
    try (BackupArchive archive = BackupArchive.open(file)) {
      BackupManifest m = archive.manifest();
      assertThat(m.format()).isEqualTo("sepia-backup");
      assertThat(m.formatVersion()).isEqualTo(BackupManifest.FORMAT_VERSION);
      assertThat(m.sourceEngine()).isEqualTo("H2");
      assertThat(m.instanceName()).isEqualTo("Test");
      assertThat(m.masterKeyId()).isEqualTo(source.sourceKey().keyId());
      assertThat(m.includesMasterKey()).isFalse();
      assertThat(m.createdAt()).endsWith("Z");
      assertThat(m.tables())
          .extracting(BackupManifest.TableEntry::name)
          .doesNotContain("sepia_schema_history", "server_nodes", "user_sessions")
          .contains("events", "api_keys", "variables", "sepia_metadata");
      assertThat(m.tables()).allMatch(t -> t.sha256().matches("[0-9a-f]{64}"));
      assertThat(m.files()).anyMatch(f -> f.path().startsWith("files/TaskLogs/"));
      archive.verifyChecksums();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aBackup_waitsForAnInterruptedRotationToFinish() throws Exception {
    // A source of its own: the rotation changes its key.
    BackupFixture source =
        BackupFixture.populated(temp.resolve("rotating"), DatabaseKind.H2, running -> {});
    Map<String, String> interrupted = new java.util.HashMap<>(source.sourceEnv);
    interrupted.put(FaultPoints.FAIL_AT, "after-rotation-recorded");
    BackupFixture.Run crashed =
        BackupFixture.run(
            interrupted, "rotate-master-key", "--yes", "--instance", BackupFixture.SOURCE_INSTANCE);
    assertThat(crashed.exit()).as(crashed.toString()).isNotZero();
    Path file = temp.resolve("during-rotation.zip");

    BackupFixture.Run refused =
        BackupFixture.run(
            source.sourceEnv,
            "backup",
            "--file",
            file.toString(),
            "--instance",
            BackupFixture.SOURCE_INSTANCE);

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err())
        .contains("A master key rotation is under way")
        .contains("Nothing was written");
    assertThat(file).doesNotExist();
    assertThat(file.resolveSibling("during-rotation.zip.partial")).doesNotExist();

    BackupFixture.must(
        source.sourceEnv,
        "rotate-master-key",
        "--yes",
        "--instance",
        BackupFixture.SOURCE_INSTANCE);
    BackupFixture.must(
        source.sourceEnv,
        "backup",
        "--file",
        file.toString(),
        "--instance",
        BackupFixture.SOURCE_INSTANCE);
    BackupFixture.must(
        source.sourceEnv,
        "verify-backup",
        "--file",
        file.toString(),
        "--instance",
        BackupFixture.SOURCE_INSTANCE);
  }
}
