package dev.sepia.server.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.crypto.InsecureKeyAccess;
import dev.sepia.crypto.SymmetricKey;
import dev.sepia.server.store.DatabaseKind;
import dev.sepia.server.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Splitting the master key into shares and recombining it on another machine, as an operator. */
class MasterKeySharesCommandsTest {
  @TempDir Path temp;

  private EscrowFixture h2() {
    return EscrowFixture.created(temp, TestDatabases.emptyDatabase(DatabaseKind.H2, temp));
  }

  private static List<String> shareLines(EscrowFixture.Run shown) {
    return shown.lines().stream().filter(l -> l.startsWith("sepia-share:")).toList();
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void threeOfFiveShares_onANewMachine_openTheDatabase(DatabaseKind kind) {
    EscrowFixture f = EscrowFixture.created(temp, TestDatabases.emptyDatabase(kind, temp));
    SymmetricKey key = f.oldKey();

    EscrowFixture.Run shown = f.old("show-master-key", "--shares", "5", "--threshold", "3");

    assertThat(shown.exit()).as(shown.toString()).isZero();
    assertThat(shown.lines()).hasSize(6);
    assertThat(shown.lines().get(0))
        .startsWith("# Master key " + key.keyId() + " in 5 shares; any 3 recombine it.")
        .contains("Give each share to a different person");
    List<String> shares = shareLines(shown);
    assertThat(shares).hasSize(5).doesNotHaveDuplicates();
    assertThat(shown.out()).doesNotContain(InsecureKeyAccess.toBase64(key));

    f.newMachine();
    EscrowFixture.Run recovered =
        f.rescue(
            "database",
            "--connectionString",
            f.url,
            "--masterKeyShares",
            shares.get(0),
            "--masterKeyShares",
            shares.get(2),
            "--masterKeyShares",
            shares.get(4));

    assertThat(recovered.exit()).as(recovered.toString()).isZero();
    assertThat(recovered.out()).contains("(master key id " + key.keyId() + ")");
    assertThat(f.newKey().sameKeyAs(key)).isTrue();

    // Another three, through set-master-key, give the same key.
    EscrowFixture.Run set =
        f.rescue(
            "set-master-key",
            "--shares",
            shares.get(3),
            "--shares",
            shares.get(1),
            "--shares",
            shares.get(2));
    assertThat(set.exit()).as(set.toString()).isZero();
    assertThat(f.newKey().sameKeyAs(key)).isTrue();
  }

  @Test
  void twoSharesOfThreeNeeded_areRefused_andNothingChanges() {
    EscrowFixture f = h2();
    List<String> shares = shareLines(f.old("show-master-key", "--shares", "5", "--threshold", "3"));
    f.newMachine();

    EscrowFixture.Run refused =
        f.rescue(
            "database",
            "--connectionString",
            f.url,
            "--masterKeyShares",
            shares.get(0),
            "--masterKeyShares",
            shares.get(1));

    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err())
        .contains("3 shares are needed, 2 were given.")
        .contains("Nothing was changed.");
    assertThat(f.newKey()).isNull();
    assertThat(EscrowFixture.config(f.newEnv, EscrowFixture.NEW).hasConnectionString()).isFalse();
  }

  @Test
  void aMistypedShare_isNamed_andNothingChanges() {
    EscrowFixture f = h2();
    SymmetricKey before = f.oldKey();
    List<String> shares = shareLines(f.old("show-master-key", "--shares", "3", "--threshold", "2"));
    String second = shares.get(1);
    int at = second.length() - 15;
    String typo =
        second.substring(0, at) + (second.charAt(at) == 'x' ? 'y' : 'x') + second.substring(at + 1);

    EscrowFixture.Run refused =
        f.old("set-master-key", "--shares", shares.get(0), "--shares", typo);

    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("Share 2 is mistyped").doesNotContain(second.split(":")[5]);
    assertThat(f.oldKey().sameKeyAs(before)).isTrue();
  }

  @Test
  void sharesOfAnotherDatabasesKey_areRefusedBeforeTheConfigChanges() {
    EscrowFixture f = h2();
    f.newMachine();
    f.must(
        f.newEnv,
        "database",
        "--instance",
        EscrowFixture.NEW,
        "--connectionString",
        "jdbc:h2:file:" + temp.resolve("other").resolve("sepia"),
        "--create");
    SymmetricKey newKeyBefore = f.newKey();
    List<String> oldShares =
        shareLines(f.old("show-master-key", "--shares", "2", "--threshold", "2"));

    EscrowFixture.Run refused =
        f.rescue("set-master-key", "--shares", oldShares.get(0), "--shares", oldShares.get(1));

    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err())
        .contains("recombined from the shares")
        .contains("does not open the instance's database");
    assertThat(f.newKey().sameKeyAs(newKeyBefore)).isTrue();
  }

  @Test
  void sharesFromAFile_recoverTheKey_evenTheWholeOutputOfShowMasterKey() throws Exception {
    EscrowFixture f = h2();
    EscrowFixture.Run shown = f.old("show-master-key", "--shares", "4", "--threshold", "2");
    Path whole = Files.writeString(temp.resolve("all-shares.txt"), shown.out());
    Path two =
        Files.writeString(
            temp.resolve("two-shares.txt"),
            "\n" + shareLines(shown).get(3) + "\n\n" + shareLines(shown).get(1) + "\n");
    f.newMachine();

    f.must(
        f.newEnv,
        "set-master-key",
        "--instance",
        EscrowFixture.NEW,
        "--sharesFile",
        whole.toString());
    assertThat(f.newKey().sameKeyAs(f.oldKey())).isTrue();
    f.must(
        f.newEnv,
        "database",
        "--instance",
        EscrowFixture.NEW,
        "--connectionString",
        f.url,
        "--sharesFile",
        two.toString());
    assertThat(f.newKey().sameKeyAs(f.oldKey())).isTrue();
  }

  @Test
  void sharesWithoutATerminal_sayHowToPassThem() {
    EscrowFixture f = h2();

    EscrowFixture.Run refused = f.old("set-master-key", "--shares");

    assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err())
        .contains("No terminal to prompt on")
        .contains("--shares SHARE (once per share) or --sharesFile FILE");
  }

  @Test
  void twoWaysOfGivingTheKey_areBadUsage() {
    EscrowFixture f = h2();
    String key = InsecureKeyAccess.toBase64(f.oldKey());
    List<String> shares = shareLines(f.old("show-master-key", "--shares", "2", "--threshold", "2"));

    EscrowFixture.Run both = f.old("set-master-key", "--masterKey", key, "--shares", shares.get(0));
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("Give the master key one way only");

    EscrowFixture.Run database =
        f.old("database", "--masterKey", key, "--masterKeyFile", temp.resolve("x").toString());
    assertThat(database.exit()).isEqualTo(2);
    assertThat(database.err()).contains("Give the master key one way only");

    EscrowFixture.Run none = f.old("set-master-key");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("Give the master key: --masterKey, --shares");

    EscrowFixture.Run strayPassphrase =
        f.old("set-master-key", "--masterKey", key, "--passphraseEnv", "X");
    assertThat(strayPassphrase.exit()).isEqualTo(2);
    assertThat(strayPassphrase.err()).contains("--masterKeyFile");
  }

  @Test
  void impossibleSplits_areBadUsage_andPrintNothing() {
    EscrowFixture f = h2();
    for (String[] args :
        List.of(
            new String[] {"show-master-key", "--shares", "3", "--threshold", "5"},
            new String[] {"show-master-key", "--shares", "5", "--threshold", "1"},
            new String[] {"show-master-key", "--shares", "256", "--threshold", "2"},
            new String[] {"show-master-key", "--shares", "5"})) {
      EscrowFixture.Run refused = f.old(args);
      assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
      assertThat(refused.out()).isEmpty();
    }
    assertThat(f.old("show-master-key", "--shares", "3", "--threshold", "5").err())
        .contains("threshold must be between 2 and the number of shares");
  }

  @Test
  void sharesAsJson_areData() throws Exception {
    EscrowFixture f = h2();
    EscrowFixture.Run shown =
        f.old("show-master-key", "--shares", "3", "--threshold", "2", "--format", "json");
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(shown.out());
    assertThat(json.get("keyId").asText()).isEqualTo(f.oldKey().keyId());
    assertThat(json.get("threshold").asInt()).isEqualTo(2);
    assertThat(json.get("lines")).hasSize(3);
    assertThat(json.get("lines").get(0).asText()).startsWith("sepia-share:v1:");
  }
}
