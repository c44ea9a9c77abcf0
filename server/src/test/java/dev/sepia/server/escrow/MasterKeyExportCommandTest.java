package dev.sepia.server.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.InsecureKeyAccess;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exporting the master key to a passphrase-sealed file, and reading it back on a new machine. */
class MasterKeyExportCommandTest {
  private static final Map<String, String> PASSPHRASE = Map.of("ESCROW_PASS", "a long passphrase");

  @TempDir Path temp;

  @Test
  void anExport_isReadableByItsOwnerOnly_namesItsKey_andOpensTheDatabaseOnANewMachine()
      throws Exception {
    EscrowFixture f =
        EscrowFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    SymmetricKey key = f.oldKey();
    Path file = temp.resolve("master-key.sepia");

    EscrowFixture.Run exported =
        EscrowFixture.run(
            with(f.oldEnv),
            "export-master-key",
            "--instance",
            EscrowFixture.OLD,
            "--file",
            file.toString(),
            "--passphraseEnv",
            "ESCROW_PASS");

    assertThat(exported.exit()).as(exported.toString()).isZero();
    assertThat(exported.out()).contains("Exported master key " + key.keyId());
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertThat(text.lines().findFirst().orElseThrow())
        .isEqualTo("sepia-master-key-export/1 key=" + key.keyId());
    assertThat(text).doesNotContain(InsecureKeyAccess.toBase64(key));
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }

    f.newMachine();
    EscrowFixture.Run recovered =
        f.rescue(
            PASSPHRASE,
            "database",
            "--connectionString",
            f.url,
            "--masterKeyFile",
            file.toString(),
            "--passphraseEnv",
            "ESCROW_PASS");
    assertThat(recovered.exit()).as(recovered.toString()).isZero();
    assertThat(f.newKey().sameKeyAs(key)).isTrue();
  }

  @Test
  void anExistingFile_isNeverOverwritten() throws Exception {
    EscrowFixture f =
        EscrowFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    Path file = Files.writeString(temp.resolve("precious.txt"), "keep me");

    EscrowFixture.Run refused =
        EscrowFixture.run(
            with(f.oldEnv),
            "export-master-key",
            "--instance",
            EscrowFixture.OLD,
            "--file",
            file.toString(),
            "--passphraseEnv",
            "ESCROW_PASS");

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("already exists").contains("Nothing was changed.");
    assertThat(Files.readString(file)).isEqualTo("keep me");
  }

  @Test
  void aWrongPassphrase_isRefused_andTheConfigIsUnchanged() throws Exception {
    EscrowFixture f =
        EscrowFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    Path file = temp.resolve("master-key.sepia");
    f.must(
        with(f.oldEnv),
        "export-master-key",
        "--instance",
        EscrowFixture.OLD,
        "--file",
        file.toString(),
        "--passphraseEnv",
        "ESCROW_PASS");
    f.newMachine();
    Path wrong = Files.writeString(temp.resolve("wrong-pass"), "not the passphrase\n");

    EscrowFixture.Run refused =
        f.rescue(
            "set-master-key",
            "--masterKeyFile",
            file.toString(),
            "--passphraseFile",
            wrong.toString());

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err())
        .contains("The passphrase does not open " + file)
        .contains("wrong passphrase or damaged data")
        .contains("Nothing was changed.")
        .doesNotContain("not the passphrase");
    assertThat(f.newKey()).isNull();
  }

  @Test
  void aFileThatIsNotAnExport_isBadUsage() throws Exception {
    EscrowFixture f =
        EscrowFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
    Path other = Files.writeString(temp.resolve("notes.txt"), "hello\n");

    EscrowFixture.Run refused =
        EscrowFixture.run(
            with(f.oldEnv),
            "set-master-key",
            "--instance",
            EscrowFixture.OLD,
            "--masterKeyFile",
            other.toString(),
            "--passphraseEnv",
            "ESCROW_PASS");

    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("not a Sepia master key export");
  }

  private static Map<String, String> with(Map<String, String> env) {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.putAll(PASSPHRASE);
    return all;
  }
}
