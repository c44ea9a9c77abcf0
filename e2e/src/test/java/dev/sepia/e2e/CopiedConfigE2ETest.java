package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config file taken to another machine: its protected values (master key, connection string) were
 * sealed with the first machine's key and cannot be opened there.
 */
class CopiedConfigE2ETest {
  private static final Pattern PROTECTED_BY = Pattern.compile("sepia-machine:v1:([0-9a-f]{8}):");

  @TempDir Path tmp;
  SepiaServerCli machineA;
  SepiaServerCli machineB;
  TestDatabase db;
  TestInstance original;
  String masterKey;
  Path copied;

  @BeforeEach
  void setUp() throws Exception {
    machineA = new SepiaServerCli(tmp.resolve("machineA"), tmp);
    machineB = new SepiaServerCli(tmp.resolve("machineB"), tmp);
    db = Engine.H2.newDatabase(tmp);
    original = TestInstance.withNewDatabase(machineA, tmp, "Shop", db);
    masterKey = original.masterKey();
    copied = Files.createDirectories(tmp.resolve("carried")).resolve("Shop.config.json");
    Files.copy(original.configFile(), copied);
  }

  @Test
  void copiedConfig_isRefusedOnAnotherMachine_namingBothMachineKeys_andNothingIsWritten()
      throws Exception {
    String machineAKeyId = protectingKeyId(Files.readString(copied));
    // Machine B has a Sepia instance of its own, and so a machine key of its own.
    machineB
        .run("create-instance", "--instance", "Local", "--config", tmp.resolve("b.json").toString())
        .succeeded();
    String copiedBefore = Files.readString(copied);
    List<List<String>> nodesBefore = db.snapshot("server_nodes");
    List<List<String>> eventsBefore = db.snapshot("events");

    CliResult showKey =
        machineB.run("show-master-key", "--config", copied.toString()).exited(CliResult.FAILED);
    CliResult run = machineB.run("run", "--config", copied.toString()).exited(CliResult.FAILED);

    for (CliResult refused : List.of(showKey, run)) {
      assertThat(refused.error())
          .as("refusal of %s", refused.command())
          .contains("cannot be opened on this machine")
          .contains("protected on another machine (machine key " + machineAKeyId + ")")
          .containsPattern("this machine's key is (?!" + machineAKeyId + ")[0-9a-f]{8}")
          .contains(machineB.machineDir().resolve("machine.key").toString());
    }
    assertThat(showKey.stdout()).isEmpty();
    assertThat(
            machineB.run("show-configuration", "--config", copied.toString()).succeeded().stdout())
        .contains("Sepia.Storage.ConnectionString = <protected on another machine>");
    assertThat(Files.readString(copied)).isEqualTo(copiedBefore);
    assertThat(db.snapshot("server_nodes")).isEqualTo(nodesBefore);
    assertThat(db.snapshot("events")).isEqualTo(eventsBefore);

    // The id named as "this machine's key" is the one machine B really uses: once machine B
    // protects a value of its own, the config names it.
    String named = keyIdAfter("this machine's key is ", showKey.error());
    machineB
        .run(
            "database",
            "--config",
            copied.toString(),
            "--connectionString",
            db.url(),
            "--masterKey",
            masterKey)
        .succeeded();
    assertThat(protectingKeyId(Files.readString(copied))).isEqualTo(named);
  }

  @Test
  void copiedConfig_worksOnAnotherMachine_onceGivenTheConnectionStringAndMasterKeyAgain() {
    machineB
        .run(
            "database",
            "--config",
            copied.toString(),
            "--connectionString",
            db.url(),
            "--masterKey",
            masterKey)
        .succeeded();

    CliResult thumbprint =
        machineB.run("show-thumbprint", "--config", copied.toString()).succeeded();
    assertThat(TestInstance.onlyThumbprintIn(thumbprint.stdout())).isEqualTo(db.storedThumbprint());
    assertThat(machineB.run("show-master-key", "--config", copied.toString()).out())
        .isEqualTo(masterKey);
  }

  /**
   * The refusal tells the operator how to recover ("Give the master key again with: sepia-server
   * database --masterKey …"). On the other machine the connection string is unreadable too, so
   * following that advice must either work, or the advice (or the advised command's own error) must
   * say that --connectionString is needed as well.
   */
  @Test
  void copiedConfig_theRecoveryAdviceLeadsSomewhere() {
    CliResult refused =
        machineB.run("show-master-key", "--config", copied.toString()).exited(CliResult.FAILED);
    assertThat(refused.error()).contains("database").contains("--masterKey");
    if (refused.error().contains("--connectionString")) {
      return; // The advice is complete.
    }

    CliResult advised =
        machineB.run("database", "--config", copied.toString(), "--masterKey", masterKey);

    if (advised.exitCode() != CliResult.OK) {
      assertThat(advised.error())
          .as("following the advice of:%n%s%nled to:%n%s", refused.error(), advised)
          .contains("--connectionString");
    }
  }

  private static String protectingKeyId(String config) {
    Matcher m = PROTECTED_BY.matcher(config);
    assertThat(m.find()).as("a machine-protected value in %s", config).isTrue();
    return m.group(1);
  }

  private static String keyIdAfter(String prefix, String text) {
    Matcher m = Pattern.compile(Pattern.quote(prefix) + "([0-9a-f]{8})").matcher(text);
    assertThat(m.find()).as("'%s' followed by a key id in %s", prefix, text).isTrue();
    return m.group(1);
  }
}
