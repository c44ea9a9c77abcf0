package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sepia.e2e.keys.ServerSite;
import dev.sepia.e2e.keys.ShopSecrets;
import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Escrow of the master key with real processes, on H2 and on PostgreSQL: machine A splits its key
 * into five shares of which any three recombine it; on machine B three shares open the database and
 * the server starts, two are refused; a passphrase-sealed export brings the key to machine C, and a
 * wrong passphrase does not.
 */
// The two runs take turns (each starts a server at one address); other classes run beside them.
@ResourceLock("MasterKeyEscrowE2ETest")
class MasterKeyEscrowE2ETest {

  @Nested
  class OnH2 extends Escrow {
    OnH2() {
      super(Engine.H2);
    }
  }

  @Nested
  class OnPostgreSql extends Escrow {
    OnPostgreSql() {
      super(Engine.POSTGRESQL);
    }
  }

  @org.junit.jupiter.api.TestInstance(Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  abstract static class Escrow {
    private static final String PASSPHRASE_VARIABLE = "ESCROW_PASSPHRASE";
    private static final String WRONG_PASSPHRASE_VARIABLE = "ESCROW_WRONG_PASSPHRASE";
    private static final Pattern KEY_ID = Pattern.compile("\"keyId\"\\s*:\\s*\"([^\"]+)\"");

    private final Engine engine;
    private final String name;
    private final String passphrase = ShopSecrets.secret("escrow-passphrase");
    private final String wrongPassphrase = ShopSecrets.secret("wrong-passphrase");

    /** Every command's output but show-master-key's without shares (it prints the key). */
    private final List<CliResult> outputs = new CopyOnWriteArrayList<>();

    Path tmp;
    ServerSite site;
    TestDatabase database;
    TestInstance machineA;
    TestInstance machineB;
    TestInstance machineC;
    String masterKey;
    String keyId;
    String thumbprint;
    List<String> shares;
    Path exported;

    Escrow(Engine engine) {
      this.engine = engine;
      this.name = "Esc" + (engine == Engine.H2 ? "H2" : "Pg");
    }

    @BeforeAll
    void createADatabaseOnMachineA(@TempDir Path folder) {
      tmp = folder;
      site =
          new ServerSite(
              tmp,
              name,
              Map.of(PASSPHRASE_VARIABLE, passphrase, WRONG_PASSPHRASE_VARIABLE, wrongPassphrase));
      database = engine.newDatabase(tmp);
      machineA = site.newMachine("node-a");
      run(machineA, "database", "--connectionString", database.url(), "--create");
      masterKey = machineA.masterKey();
      String json = machineA.run("show-master-key", "--format", "json").succeeded().stdout();
      Matcher id = KEY_ID.matcher(json);
      assertThat(id.find()).as(json).isTrue();
      keyId = id.group(1);
      thumbprint = machineA.thumbprint();
    }

    @AfterAll
    void stopEverything() {
      if (site != null) {
        site.close();
      }
    }

    @Test
    @Order(1)
    void showMasterKey_inFiveSharesOfWhichThreeRecombine_printsTheSharesNotTheKey() {
      CliResult shown = run(machineA, "show-master-key", "--shares", "5", "--threshold", "3");

      List<String> lines = shown.out().lines().toList();
      assertThat(lines.get(0)).startsWith("# Master key " + keyId + " in 5 shares; any 3");
      shares = lines.stream().filter(l -> l.startsWith("sepia-share:")).toList();
      assertThat(shares).hasSize(5).doesNotHaveDuplicates();
      assertThat(lines).hasSize(6);
    }

    @Test
    @Order(2)
    void onMachineB_twoShares_areRefused_namingTheThreshold_andNothingChanges() {
      machineB = site.newMachine("node-b");
      String configBefore = machineB.configFileContent();
      List<List<String>> metadataBefore = database.snapshot("sepia_metadata");

      CliResult refused =
          machineB.run(
              "database",
              "--connectionString",
              database.url(),
              "--masterKeyShares",
              shares.get(0),
              "--masterKeyShares",
              shares.get(1));
      outputs.add(refused);

      refused.exited(CliResult.BAD_USAGE);
      assertThat(refused.error())
          .contains("3 shares are needed, 2 were given")
          .contains("Nothing was changed");
      assertThat(machineB.configFileContent()).isEqualTo(configBefore);
      assertThat(database.snapshot("sepia_metadata")).isEqualTo(metadataBefore);
    }

    @Test
    @Order(3)
    void onMachineB_sharesOneTwoAndFour_openTheDatabase_andTheServerStarts() {
      CliResult opened =
          run(
              machineB,
              "database",
              "--connectionString",
              database.url(),
              "--masterKeyShares",
              shares.get(0),
              "--masterKeyShares",
              shares.get(1),
              "--masterKeyShares",
              shares.get(3));
      assertThat(opened.stdout()).contains("master key id " + keyId);
      assertThat(machineB.masterKey()).isEqualTo(masterKey);

      site.start(machineB);
      try {
        HttpResponse<String> health = anonymousGet("/api/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("Healthy");
        // The server certificate opened with the recombined key: the same one as before.
        assertThat(machineB.thumbprint()).isEqualTo(thumbprint);
      } finally {
        site.stop(machineB);
      }
    }

    @Test
    @Order(4)
    void exportMasterKey_withAPassphraseFromTheEnvironment_writesAFileOnlyItsOwnerReads()
        throws IOException {
      exported = tmp.resolve("escrow").resolve("master-key.sepiakey");
      Files.createDirectories(exported.getParent());

      CliResult export =
          run(
              machineA,
              "export-master-key",
              "--file",
              exported.toString(),
              "--passphraseEnv",
              PASSPHRASE_VARIABLE);

      assertThat(export.stdout()).contains("Exported master key " + keyId);
      byte[] written = Files.readAllBytes(exported);
      String content = new String(written, StandardCharsets.ISO_8859_1);
      assertThat(content).contains(keyId).doesNotContain(masterKey, passphrase);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exported)))
          .isEqualTo("rw-------");

      CliResult again =
          machineA.run(
              "export-master-key",
              "--file",
              exported.toString(),
              "--passphraseEnv",
              PASSPHRASE_VARIABLE);
      outputs.add(again);
      again.exited(CliResult.FAILED);
      assertThat(again.error()).contains("already exists").contains("Nothing was changed");
      assertThat(Files.readAllBytes(exported)).isEqualTo(written);
    }

    @Test
    @Order(5)
    void onMachineC_theExportWithAWrongPassphrase_isRefused_andTheConfigStays() {
      machineC = site.newMachine("node-c");
      // Pointed at the database without a key, as on a new machine: saved, with a warning.
      run(machineC, "database", "--connectionString", database.url());
      String configBefore = machineC.configFileContent();

      CliResult refused =
          machineC.run(
              "set-master-key",
              "--masterKeyFile",
              exported.toString(),
              "--passphraseEnv",
              WRONG_PASSPHRASE_VARIABLE);
      outputs.add(refused);

      refused.exited(CliResult.FAILED);
      assertThat(refused.error())
          .contains("The passphrase does not open " + exported)
          .contains("master key id " + keyId)
          .contains("Nothing was changed");
      assertThat(machineC.configFileContent()).isEqualTo(configBefore);
    }

    @Test
    @Order(6)
    void onMachineC_theExportWithItsPassphrase_givesTheKeyThatOpensTheDatabase() {
      CliResult set =
          run(
              machineC,
              "set-master-key",
              "--masterKeyFile",
              exported.toString(),
              "--passphraseEnv",
              PASSPHRASE_VARIABLE);

      assertThat(set.stdout()).contains("The master key (key id " + keyId + ") is saved");
      assertThat(machineC.masterKey()).isEqualTo(masterKey);
      assertThat(machineC.thumbprint()).isEqualTo(thumbprint);
    }

    @Test
    @Order(7)
    void noOutput_andNoServiceLog_showedTheKey_aPassphrase_orAShareItWasGiven() {
      List<String> shown = new ArrayList<>();
      outputs.forEach(r -> shown.add(r.stdout() + r.stderr()));
      shown.addAll(site.serviceLogs());

      assertThat(outputs).hasSizeGreaterThan(8);
      for (String text : shown) {
        assertThat(text).doesNotContain(masterKey, passphrase, wrongPassphrase);
      }
      // The shares are printed once, by show-master-key, and echoed by nothing else.
      for (CliResult r : outputs) {
        if (!r.command().contains("--shares")) {
          assertThat(r.stdout() + r.stderr()).doesNotContain(shares.toArray(String[]::new));
        }
      }
    }

    // ---- helpers

    private CliResult run(TestInstance instance, String command, String... args) {
      CliResult result = instance.run(command, args);
      outputs.add(result);
      return result.succeeded();
    }

    private HttpResponse<String> anonymousGet(String path) {
      try (HttpClient http = HttpClient.newHttpClient()) {
        return http.send(
            HttpRequest.newBuilder(URI.create(site.url(path)))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
