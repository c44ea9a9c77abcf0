package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.e2e.keys.BrokenCopies;
import dev.sepia.e2e.keys.ServerSite;
import dev.sepia.e2e.keys.ShopProject;
import dev.sepia.e2e.keys.ShopSecrets;
import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import dev.sepia.e2e.tentacle.SepiaApi;
import dev.sepia.e2e.tentacle.SepiaApi.HealthCheck;
import dev.sepia.e2e.tentacle.TestTentacle;
import dev.sepia.e2e.tentacle.Together;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A backup proven to restore, with real processes: machine A runs a server with Tentacles and a
 * value of every sealed kind, and deploys; {@code backup} runs while the server serves; {@code
 * verify-backup} proves it and catches a wrong key, a wrong passphrase, a flipped bit and a cut-off
 * copy. Machine A goes away; machine B, on the other database engine, restores the backup onto a
 * blank database and serves at the same address: the Tentacles trust it unchanged, every secret
 * opens, releases deploy with the original values, and the old task log is there.
 */
// Each run holds a server, Tentacles and their ports for minutes; the two runs take turns, and the
// steps of a run go one at a time, in order. Other classes run beside them.
@ResourceLock("BackupRestoreE2ETest")
class BackupRestoreE2ETest {

  /** Restored with the passphrase of the key inside the backup; with a polling Tentacle too. */
  @Nested
  class OnH2ToPostgreSql extends RoundTrip {
    OnH2ToPostgreSql() {
      super(Engine.H2, Engine.POSTGRESQL, true);
    }
  }

  /** Restored with the key as show-master-key printed it; a listening Tentacle only. */
  @Nested
  class OnPostgreSqlToH2 extends RoundTrip {
    OnPostgreSqlToH2() {
      super(Engine.POSTGRESQL, Engine.H2, false);
    }
  }

  @org.junit.jupiter.api.TestInstance(Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  abstract static class RoundTrip {
    private static final String PASSPHRASE_VARIABLE = "SHOP_BACKUP_PASSPHRASE";
    private static final String WRONG_PASSPHRASE_VARIABLE = "SHOP_WRONG_PASSPHRASE";
    private static final Pattern VALUES_OPENED =
        Pattern.compile(
            "OK: the backup restores and every one of its (\\d+) sensitive values opens with master"
                + " key id (\\S+)\\.");

    private final Engine source;
    private final Engine target;
    private final boolean byPassphrase;
    private final String name;
    private final ShopSecrets secrets = ShopSecrets.random();
    private final String passphrase = ShopSecrets.secret("passphrase");
    private final String wrongPassphrase = ShopSecrets.secret("wrong-passphrase");

    /** Every command's output but show-master-key's (which prints the key, as it should). */
    private final List<CliResult> outputs = new CopyOnWriteArrayList<>();

    Path tmp;
    ServerSite site;
    SepiaApi api;
    ShopProject shop;
    TestInstance machineA;
    TestInstance machineB;
    TestDatabase sourceDatabase;
    TestDatabase targetDatabase;
    String masterKey;
    String thumbprint;
    List<String> targets;
    List<TestTentacle> tentacles = new CopyOnWriteArrayList<>();
    Map<TestTentacle, byte[]> tentacleConfigs;
    ShopProject.Release oldRelease;
    String oldTaskId;
    String oldTaskLog;
    Path archive;
    int valuesInBackup;

    RoundTrip(Engine source, Engine target, boolean byPassphrase) {
      this.source = source;
      this.target = target;
      this.byPassphrase = byPassphrase;
      this.name = "Bk" + (source == Engine.H2 ? "H2Pg" : "PgH2");
    }

    @BeforeAll
    void installMachineA(@TempDir Path folder) throws IOException {
      tmp = folder;
      site =
          new ServerSite(
              tmp,
              name,
              Map.of(PASSPHRASE_VARIABLE, passphrase, WRONG_PASSPHRASE_VARIABLE, wrongPassphrase));
      sourceDatabase = source.newDatabase(tmp);
      machineA = site.newMachine("node-a");
      run(machineA, "database", "--connectionString", sourceDatabase.url(), "--create");
      api = site.adminAndStart(machineA);
      thumbprint = api.serverThumbprint();
      shop = new ShopProject(api, Files.createDirectories(tmp.resolve("deployed")), secrets);
      shop.createEnvironments();
      if (byPassphrase) {
        Together.run(
            () -> tentacles.add(site.listeningTentacle("web01")),
            () -> tentacles.add(site.pollingTentacle("web02")));
        targets = List.of("web01", "web02");
      } else {
        tentacles.add(site.listeningTentacle("web01"));
        targets = List.of("web01");
      }
      HealthCheck check = api.checkHealth(targetIds());
      for (String id : targetIds()) {
        assertThat(check.status(id)).as(check.toString()).isEqualTo("Healthy");
      }
      tentacleConfigs = new LinkedHashMap<>();
      tentacles.forEach(t -> tentacleConfigs.put(t, t.configBytes()));
    }

    @AfterAll
    void stopEverything() {
      if (site != null) {
        site.close();
      }
    }

    @Test
    @Order(1)
    void onMachineA_everySealedKindIsStored_andARelease_deploysWithTheSecrets() {
      shop.populate(0);
      oldRelease = shop.newRelease();

      oldTaskId = shop.deploy(oldRelease);
      shop.succeededWithTheSecrets(shop.awaitFinished(oldTaskId), oldRelease, targets);

      oldTaskLog = api.text("/api/tasks/" + oldTaskId + "/raw");
    }

    @Test
    @Order(2)
    void backup_whileTheServerRuns_wrapsTheMasterKey_andHoldsNoSecretInClear() throws IOException {
      masterKey = machineA.masterKey();
      archive = tmp.resolve("backups").resolve("shop.zip");
      Files.createDirectories(archive.getParent());

      CliResult backup =
          run(
              machineA,
              "backup",
              "--file",
              archive.toString(),
              "--includeMasterKey",
              "--passphraseEnv",
              PASSPHRASE_VARIABLE);

      assertThat(backup.stdout())
          .contains("Backed up instance '" + name + "'")
          .containsPattern("\\d+ tables, \\d+ rows, [1-9]\\d* files")
          .contains("is included, wrapped with the passphrase");
      // The server kept serving: it answers, and its projects are as they were.
      assertThat(api.get("/api/projects/" + shop.projectId()).path("name").asText())
          .isEqualTo("Shop");
      String everything = everyEntryOf(archive);
      assertThat(everything).isNotEmpty().contains("Shop");
      assertThat(everything)
          .doesNotContain(secrets.all())
          .doesNotContain(masterKey, passphrase)
          // The old task log is in it, masked as the server wrote it.
          .contains("greeting=" + ShopProject.GREETING);
    }

    @Test
    @Order(3)
    void verifyBackup_withThePassphrase_exitsZero_andCountsEveryValueItOpened() {
      CliResult verified =
          run(
              machineA,
              "verify-backup",
              "--file",
              archive.toString(),
              "--passphraseEnv",
              PASSPHRASE_VARIABLE);

      Matcher ok = VALUES_OPENED.matcher(verified.stdout());
      assertThat(ok.find()).as(verified.toString()).isTrue();
      valuesInBackup = Integer.parseInt(ok.group(1));
      assertThat(ok.group(2)).isEqualTo(keyIdOf(machineA));
      assertThat(verified.stdout())
          .contains("checksums: every entry matches its manifest")
          .containsPattern("variables\\.sensitive_value\\s+2 / 0\\s+ok")
          .containsPattern("step_sensitive_parameters\\.sealed_value\\s+1 / 0\\s+ok")
          .containsPattern("accounts\\.password\\s+1 / 0\\s+ok")
          .containsPattern("certificates\\.private_key\\s+1 / 0\\s+ok")
          .containsPattern("server_certificate\\.private_key\\s+1 / 0\\s+ok")
          .doesNotContain("MISMATCH", "FAILED");
      // Two variables, a parameter, an account, a certificate, a drop password, the server's
      // certificate, and the release's frozen values.
      assertThat(valuesInBackup).isGreaterThanOrEqualTo(9);
    }

    @Test
    @Order(4)
    void verifyBackup_catchesAWrongKey_aWrongPassphrase_aFlippedBit_andACutOffCopy() {
      String wrongKey = randomKey();
      String entry = BrokenCopies.largestEntryUnder(archive, "database/");
      Path flipped = BrokenCopies.withAFlippedBit(archive, entry, tmp.resolve("flipped.zip"));
      Path cut = BrokenCopies.truncated(archive, 60, tmp.resolve("cut.zip"));
      CliResult[] runs = new CliResult[4];

      Together.run(
          () -> runs[0] = verify(archive, "--masterKey", wrongKey),
          () -> runs[1] = verify(archive, "--passphraseEnv", WRONG_PASSPHRASE_VARIABLE),
          () -> runs[2] = verify(flipped, "--masterKey", masterKey),
          () -> runs[3] = verify(cut, "--masterKey", masterKey));

      for (CliResult failed : runs) {
        failed.exited(CliResult.FAILED);
        assertThat(failed.stdout()).doesNotContain("OK:");
      }
      assertThat(runs[0].error())
          .contains("does not open this backup; it was made with key id " + keyIdOf(machineA));
      assertThat(runs[1].error())
          .contains("The passphrase does not open the master key included in the backup");
      assertThat(runs[2].error())
          .contains("is damaged: entry " + entry + " is damaged (checksum mismatch)");
      assertThat(runs[3].error()).contains("is truncated or is not a Sepia backup");
      for (CliResult failed : runs) {
        assertThat(failed.error()).contains("Nothing was changed");
      }
    }

    private CliResult verify(Path file, String... key) {
      List<String> args = new ArrayList<>(List.of("--file", file.toString()));
      args.addAll(List.of(key));
      CliResult result = machineA.run("verify-backup", args.toArray(String[]::new));
      outputs.add(result);
      return result;
    }

    // ---- machine B, on the other engine

    @Test
    @Order(5)
    void restore_withAWrongPassphrase_isRefused_beforeAnythingIsWritten() {
      targetDatabase = target.newDatabase(tmp);
      machineB = site.newMachine("node-b");
      String configBefore = machineB.configFileContent();

      CliResult refused =
          machineB.run(
              "restore",
              "--file",
              archive.toString(),
              "--connectionString",
              targetDatabase.url(),
              "--passphraseEnv",
              WRONG_PASSPHRASE_VARIABLE);
      outputs.add(refused);

      refused.exited(CliResult.FAILED);
      assertThat(refused.error())
          .contains("The passphrase does not open the master key included in the backup")
          .contains("Nothing was changed");
      assertThat(machineB.configFileContent()).isEqualTo(configBefore);
      assertThat(isEmpty(targetDatabase)).as("the target database is still empty").isTrue();
    }

    @Test
    @Order(6)
    void restore_onMachineB_bringsTheServerBack_withTheSameCertificate() {
      site.stop(machineA);
      String[] key =
          byPassphrase
              ? new String[] {"--passphraseEnv", PASSPHRASE_VARIABLE}
              : new String[] {"--masterKey", masterKey};
      List<String> args =
          new ArrayList<>(
              List.of("--file", archive.toString(), "--connectionString", targetDatabase.url()));
      args.addAll(Arrays.asList(key));

      CliResult restored = run(machineB, "restore", args.toArray(String[]::new));
      site.start(machineB);

      assertThat(restored.stdout())
          .contains("is whole, and master key id " + keyIdOf(machineA) + " opens it")
          .containsPattern("Restored \\d+ tables \\(\\d+ rows\\) and [1-9]\\d* files")
          .contains("Tentacles keep trusting this server");
      assertThat(machineB.masterKey()).isEqualTo(masterKey);
      assertThat(machineB.thumbprint()).isEqualTo(thumbprint);
      assertThat(api.serverThumbprint()).isEqualTo(thumbprint);
      assertThat(api.get("/api/projects/" + shop.projectId()).path("name").asText())
          .isEqualTo("Shop");
    }

    @Test
    @Order(7)
    void theTentacles_trustMachineB_withoutAnyChange() {
      HealthCheck check = api.checkHealth(targetIds());

      for (String id : targetIds()) {
        assertThat(check.status(id)).as(check.toString()).isEqualTo("Healthy");
        assertThat(check.connectivity(id)).as(check.toString()).isEqualTo("Connected");
      }
      // Nothing was done to them: their configs (and so their trust) are byte for byte the same.
      tentacleConfigs.forEach(
          (tentacle, before) ->
              assertThat(tentacle.configBytes()).as(tentacle.name()).isEqualTo(before));
    }

    @Test
    @Order(8)
    void onMachineB_aNewRelease_andTheOldOne_deployWithTheOriginalSecrets_masked()
        throws IOException {
      ShopProject.Release fresh = shop.newRelease();
      shop.deploysWithTheSecrets(fresh, targets);

      // The old release's frozen values open too: its files are written again.
      for (String t : targets) {
        Files.delete(
            tmp.resolve("deployed").resolve(t + "-" + oldRelease.version() + ".properties"));
      }
      shop.deploysWithTheSecrets(oldRelease, targets);
    }

    @Test
    @Order(9)
    void theOldDeploymentsTaskLog_isReadableOnMachineB() {
      String log = api.text("/api/tasks/" + oldTaskId + "/raw");

      assertThat(log).isEqualTo(oldTaskLog);
      for (String t : targets) {
        assertThat(log).contains("[" + t + "] password=" + ShopProject.MASK);
      }
    }

    @Test
    @Order(10)
    void aBackupOfMachineB_verifiesWithItsKey_everySealedValueOpens() {
      Path again = tmp.resolve("backups").resolve("machine-b.zip");
      run(machineB, "backup", "--file", again.toString());

      CliResult verified = run(machineB, "verify-backup", "--file", again.toString());

      Matcher ok = VALUES_OPENED.matcher(verified.stdout());
      assertThat(ok.find()).as(verified.toString()).isTrue();
      // The new release froze its values too.
      assertThat(Integer.parseInt(ok.group(1))).isGreaterThan(valuesInBackup);
      assertThat(ok.group(2)).isEqualTo(keyIdOf(machineA));
      assertThat(verified.stdout())
          .containsPattern("accounts\\.password\\s+1 / 0\\s+ok")
          .containsPattern("certificates\\.private_key\\s+1 / 0\\s+ok")
          .containsPattern("machines\\.drop_password\\s+1 / 0\\s+ok");
    }

    @Test
    @Order(11)
    void noCommandOutput_noApiResponse_andNoServiceLog_everShowedASecret() {
      List<String> shown = new ArrayList<>(api.bodiesReceived());
      outputs.forEach(r -> shown.add(r.stdout() + r.stderr()));
      shown.addAll(site.serviceLogs());

      assertThat(outputs).hasSizeGreaterThan(8);
      for (String text : shown) {
        assertThat(text)
            .doesNotContain(secrets.all())
            .doesNotContain(passphrase, wrongPassphrase, masterKey);
      }
    }

    // ---- helpers

    private CliResult run(TestInstance instance, String command, String... args) {
      CliResult result = instance.run(command, args);
      outputs.add(result);
      return result.succeeded();
    }

    private String[] targetIds() {
      return targets.stream()
          .map(t -> api.machineNamed(t).path("id").asText())
          .toArray(String[]::new);
    }

    private static String keyIdOf(TestInstance instance) {
      String json = instance.run("show-master-key", "--format", "json").succeeded().stdout();
      Matcher id = Pattern.compile("\"keyId\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
      assertThat(id.find()).as(json).isTrue();
      return id.group(1);
    }

    private static String randomKey() {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      return Base64.getEncoder().encodeToString(key);
    }

    /** Every entry of the archive, decompressed, as one text. */
    private static String everyEntryOf(Path archive) {
      StringBuilder all = new StringBuilder();
      try (ZipFile zip = new ZipFile(archive.toFile())) {
        for (ZipEntry entry : zip.stream().toList()) {
          try (InputStream in = zip.getInputStream(entry)) {
            all.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).append('\n');
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return all.toString();
    }

    /** No table at all: an H2 file never made, or a PostgreSQL database without tables. */
    private static boolean isEmpty(TestDatabase database) {
      if (database.engine() == Engine.H2) {
        return !Files.exists(database.h2File());
      }
      return database
          .rows(
              "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema NOT IN"
                  + " ('pg_catalog', 'information_schema')")
          .get(0)
          .get(0)
          .equals("0");
    }
  }
}
