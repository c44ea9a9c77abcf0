package dev.sepia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.e2e.support.CliResult;
import dev.sepia.e2e.support.Engine;
import dev.sepia.e2e.support.SepiaServerCli;
import dev.sepia.e2e.support.TestDatabase;
import dev.sepia.e2e.support.TestInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server certificate: new, replace, show, export and import. */
class CertificateE2ETest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  TestDatabase db;
  TestInstance shop;
  String original;

  @BeforeEach
  void setUp() {
    SepiaServerCli machine = new SepiaServerCli(tmp.resolve("machineA"), tmp);
    db = Engine.H2.newDatabase(tmp);
    shop = TestInstance.withNewDatabase(machine, tmp, "Shop", db);
    original = db.storedThumbprint();
  }

  @Test
  void newCertificate_withoutReplace_isRefusedOnAServerThatHasOne() {
    CliResult refused = shop.run("new-certificate").exited(CliResult.FAILED);

    assertThat(refused.error())
        .contains("already has a certificate")
        .contains(original)
        .contains("--replace")
        .contains("--export-pfx");
    assertThat(db.storedThumbprint()).isEqualTo(original);
  }

  @Test
  void newCertificate_withReplace_printsOldAndNewThumbprints_andShowThumbprintShowsTheNewOne()
      throws Exception {
    CliResult replaced = shop.run("new-certificate", "--replace").succeeded();

    List<String> printed = TestInstance.thumbprintsIn(replaced.stdout());
    assertThat(printed).first().isEqualTo(original);
    String fresh = printed.get(1);
    assertThat(fresh).isNotEqualTo(original);
    assertThat(replaced.stdout()).contains("restart").contains("--trust=" + fresh);

    assertThat(shop.run("show-thumbprint").succeeded().out())
        .isEqualTo("The thumbprint of this Sepia server is: " + fresh);
    JsonNode json = JSON.readTree(shop.run("show-thumbprint", "--format", "json").stdout());
    assertThat(json.get("thumbprint").asText()).isEqualTo(fresh);
    assertThat(json.get("subject").asText()).isEqualTo("CN=Sepia Server");
    assertThat(json.has("notAfter")).isTrue();
    assertThat(db.storedThumbprint()).isEqualTo(fresh);
    assertThat(db.rows("SELECT category FROM events"))
        .contains(List.of("ServerCertificateReplaced"));
  }

  @Test
  void newCertificate_exportedOnly_leavesTheServersThumbprintUnchanged() {
    Path pfx = tmp.resolve("next.pfx");

    CliResult made =
        shop.run("new-certificate", "--export-pfx", pfx.toString(), "--pfx-password", "s3cret!")
            .succeeded();

    assertThat(pfx).isNotEmptyFile();
    assertThat(made.stdout()).contains("The server's certificate was not changed");
    assertThat(db.storedThumbprint()).isEqualTo(original);
  }

  @Test
  void newCertificate_exportWithoutAPassword_isBadUsageAndWritesNoFile() {
    Path pfx = tmp.resolve("next.pfx");

    CliResult refused =
        shop.run("new-certificate", "--export-pfx", pfx.toString()).exited(CliResult.BAD_USAGE);

    assertThat(refused.error()).contains("--pfx-password");
    assertThat(pfx).doesNotExist();
  }

  @Test
  void exportedCertificate_canBeImportedBack_afterAReplacement() {
    Path backup = tmp.resolve("backup.pfx");
    CliResult exported =
        shop.run("export-certificate", "--export-pfx", backup.toString(), "--pfx-password", "pw-1")
            .succeeded();
    assertThat(exported.stdout()).contains(original).contains(backup.toString());
    String replacement =
        TestInstance.thumbprintsIn(shop.run("new-certificate", "--replace").succeeded().stdout())
            .get(1);

    CliResult imported =
        shop.run("import-certificate", "--from-file", backup.toString(), "--pfx-password", "pw-1")
            .succeeded();

    assertThat(TestInstance.thumbprintsIn(imported.stdout()))
        .containsExactly(replacement, original);
    assertThat(imported.stdout()).contains("restart");
    assertThat(shop.thumbprint()).isEqualTo(original);
    assertThat(db.rows("SELECT category FROM events"))
        .contains(List.of("ServerCertificateExported"), List.of("ServerCertificateImported"));
  }

  @Test
  void importCertificate_withAWrongPassword_isRefusedAndTheThumbprintIsUnchanged() {
    Path pfx = tmp.resolve("next.pfx");
    shop.run("new-certificate", "--export-pfx", pfx.toString(), "--pfx-password", "right")
        .succeeded();

    CliResult refused =
        shop.run("import-certificate", "--from-file", pfx.toString(), "--pfx-password", "wrong")
            .exited(CliResult.FAILED);

    assertThat(refused.error())
        .contains("password is wrong or the file is damaged")
        .contains("Nothing was changed");
    assertThat(db.storedThumbprint()).isEqualTo(original);
  }

  @Test
  void exportCertificate_toAnExistingFile_isRefusedAndLeavesTheFileAlone() throws Exception {
    Path existing = Files.writeString(tmp.resolve("taken.pfx"), "not yours");

    CliResult refused =
        shop.run("export-certificate", "--export-pfx", existing.toString(), "--pfx-password", "pw")
            .exited(CliResult.FAILED);

    assertThat(refused.error()).contains(existing + " already exists");
    assertThat(Files.readString(existing)).isEqualTo("not yours");
  }
}
