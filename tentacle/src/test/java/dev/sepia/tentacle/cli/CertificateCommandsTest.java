package dev.sepia.tentacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateCommandsTest {
  private static final Pattern GENERATED =
      Pattern.compile("A new certificate has been generated with thumbprint: ([0-9A-F]{64})");

  /** Generated once: RSA key generation is the slow part of these tests. */
  static final CertificateWithKey OTHER = Certificates.generateSelfSigned("web01.example.com");

  @TempDir Path dir;
  TentacleCli cli;
  Path config;

  @BeforeEach
  void setUp() {
    cli = new TentacleCli(dir.resolve("machine"));
    config = cli.createInstance("Web01", dir);
  }

  @Test
  void newCertificate_becomesTheThumbprintShown() throws Exception {
    String thumbprint = generated(cli.ok("new-certificate", "--instance", "Web01"));

    assertThat(cli.ok("show-thumbprint", "--instance", "Web01"))
        .isEqualTo("The thumbprint of this Tentacle is: " + thumbprint + System.lineSeparator());
    JsonNode json =
        new ObjectMapper()
            .readTree(cli.ok("show-thumbprint", "--instance", "Web01", "--format", "json"));
    assertThat(json.get("thumbprint").asText()).isEqualTo(thumbprint);
    assertThat(json.get("subject").asText()).isEqualTo("CN=Sepia Tentacle");
    JsonNode settings = new ObjectMapper().readTree(config.toFile());
    assertThat(settings.get("Tentacle.CertificateThumbprint").asText()).isEqualTo(thumbprint);
    assertThat(settings.get("Tentacle.Certificate").asText()).startsWith("sepia-machine:v1:");
    byte[] der = Base64.getDecoder().decode(settings.get("Tentacle.CertificateDer").asText());
    assertThat(Certificates.thumbprint(Certificates.decodeCertificate(der))).isEqualTo(thumbprint);
  }

  @Test
  void newCertificate_again_replacesItAndSaysARestartIsNeeded() {
    String first = generated(cli.ok("new-certificate", "--instance", "Web01"));

    String out = cli.ok("new-certificate", "--instance", "Web01");

    assertThat(out).contains("currently uses a certificate with thumbprint: " + first);
    assertThat(generated(out)).isNotEqualTo(first);
    assertThat(out).contains("These changes require a restart of the Tentacle.");
  }

  @Test
  void newCertificate_ifBlank_keepsTheExistingOne() {
    String first = generated(cli.ok("new-certificate", "--instance", "Web01", "--if-blank"));
    byte[] before = TentacleCli.bytes(config);

    String out = cli.ok("new-certificate", "--instance", "Web01", "-b");

    assertThat(out).contains("already has a certificate (thumbprint " + first + ")");
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void showThumbprint_withoutCertificate_saysHowToMakeOne() {
    TentacleCli.Result r = cli.run("show-thumbprint", "--instance", "Web01");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no certificate").contains("new-certificate --instance Web01");
  }

  @Test
  void newCertificate_exportPfx_writesTheFileAndDoesNotUseIt() throws Exception {
    String current = generated(cli.ok("new-certificate", "--instance", "Web01"));
    byte[] before = TentacleCli.bytes(config);
    Path pfx = dir.resolve("new.pfx");

    String out =
        cli.ok(
            "new-certificate",
            "--instance",
            "Web01",
            "--export-pfx",
            pfx.toString(),
            "--pfx-password",
            "s3cret");

    String exported = generated(out);
    assertThat(exported).isNotEqualTo(current);
    assertThat(out).contains("was not changed");
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
    CertificateWithKey fromFile =
        Certificates.fromPkcs12(Files.readAllBytes(pfx), "s3cret".toCharArray());
    assertThat(fromFile.thumbprint()).isEqualTo(exported);
  }

  @Test
  void newCertificate_exportPfx_withoutPassword_isBadUsageAndChangesNothing() {
    cli.ok("new-certificate", "--instance", "Web01");
    byte[] before = TentacleCli.bytes(config);
    Path pfx = dir.resolve("new.pfx");

    TentacleCli.Result r =
        cli.run("new-certificate", "--instance", "Web01", "--export-pfx", pfx.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--pfx-password");
    assertThat(pfx).doesNotExist();
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void importCertificate_makesThePfxTheIdentity() throws Exception {
    String old = generated(cli.ok("new-certificate", "--instance", "Web01"));
    CertificateWithKey other = OTHER;
    Path pfx = dir.resolve("other.pfx");
    Files.write(pfx, Certificates.toPkcs12(other, "pw".toCharArray(), "x"));

    String out =
        cli.ok(
            "import-certificate",
            "--instance",
            "Web01",
            "--from-file",
            pfx.toString(),
            "--pfx-password",
            "pw");

    assertThat(out)
        .contains("CN=web01.example.com was imported")
        .contains("old thumbprint = " + old)
        .contains("new thumbprint = " + other.thumbprint())
        .contains("These changes require a restart of the Tentacle.");
    assertThat(cli.ok("show-thumbprint", "--instance", "Web01")).contains(other.thumbprint());
  }

  @Test
  void importCertificate_withoutPassword_isBadUsageAndChangesNothing() throws Exception {
    cli.ok("new-certificate", "--instance", "Web01");
    byte[] before = TentacleCli.bytes(config);
    Path pfx = dir.resolve("other.pfx");
    Files.write(
        pfx, Certificates.toPkcs12(Certificates.generateSelfSigned("x"), "pw".toCharArray(), "x"));

    TentacleCli.Result r =
        cli.run("import-certificate", "--instance", "Web01", "--from-file", pfx.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--pfx-password");
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void importCertificate_wrongPassword_failsAndChangesNothing() throws Exception {
    cli.ok("new-certificate", "--instance", "Web01");
    byte[] before = TentacleCli.bytes(config);
    Path pfx = dir.resolve("other.pfx");
    Files.write(
        pfx, Certificates.toPkcs12(Certificates.generateSelfSigned("x"), "pw".toCharArray(), "x"));

    TentacleCli.Result r =
        cli.run("import-certificate", "--instance", "Web01", "-f", pfx.toString(), "--pw", "wrong");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("password is wrong").contains("Nothing was changed");
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void copiedConfig_isRefusedOnAnotherMachine() throws Exception {
    cli.ok("new-certificate", "--instance", "Web01");
    cli.ok("configure", "--instance", "Web01", "--trust=" + "AB".repeat(32));
    Path copy = dir.resolve("copied.config.json");
    Files.copy(config, copy);
    TentacleCli otherMachine = new TentacleCli(dir.resolve("other-machine"));
    byte[] before = TentacleCli.bytes(copy);

    TentacleCli.Result agent = otherMachine.run("agent", "--config", copy.toString());
    TentacleCli.Result ifBlank =
        otherMachine.run("new-certificate", "--config", copy.toString(), "--if-blank");

    assertThat(agent.exitCode()).isEqualTo(1);
    assertThat(agent.err())
        .contains("Tentacle.Certificate")
        .contains("cannot be opened on this machine")
        .contains("copied from another machine");
    assertThat(ifBlank.exitCode()).isEqualTo(1);
    assertThat(ifBlank.err()).contains("cannot be opened on this machine");
    assertThat(TentacleCli.bytes(copy)).isEqualTo(before);
  }

  static String generated(String out) {
    Matcher m = GENERATED.matcher(out);
    assertThat(m.find()).as("thumbprint line in: %s", out).isTrue();
    return m.group(1);
  }
}
