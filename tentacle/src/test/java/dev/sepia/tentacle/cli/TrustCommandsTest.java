package dev.sepia.tentacle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustCommandsTest {
  static final String A = "AA".repeat(32);
  static final String B = "BB".repeat(32);
  static final String C = "CC".repeat(32);

  @TempDir Path dir;
  TentacleCli cli;
  Path config;

  @BeforeEach
  void setUp() {
    cli = new TentacleCli(dir.resolve("machine"));
    config = cli.createInstance("Web01", dir);
  }

  @Test
  void configure_setsEverythingAndSaysWhatChanged() throws Exception {
    String out =
        cli.ok(
            "configure",
            "--instance",
            "Web01",
            "--port",
            "10950",
            "--listenIpAddress",
            "127.0.0.1",
            "--noListen",
            "TRUE",
            "--app",
            dir.resolve("apps").toString(),
            "--home",
            dir.resolve("h2").toString(),
            "--trust",
            // any case, with colons: as pasted from elsewhere
            "aa:".repeat(31) + "aa");

    assertThat(out)
        .contains("Listening port: 10950")
        .contains("Listen IP address: 127.0.0.1")
        .contains("Listening: off")
        .contains("Application folder: " + dir.resolve("apps"))
        .contains("Home folder: " + dir.resolve("h2"))
        .contains("Trusting server " + A + ".")
        .endsWith("These changes require a restart of the Tentacle." + System.lineSeparator());
    JsonNode settings = settings();
    assertThat(settings.get("Tentacle.Communication.ListenPort").asText()).isEqualTo("10950");
    assertThat(settings.get("Tentacle.Communication.ListenIpAddress").asText())
        .isEqualTo("127.0.0.1");
    assertThat(settings.get("Tentacle.Communication.NoListen").asText()).isEqualTo("true");
    assertThat(settings.get("Tentacle.App").asText()).isEqualTo(dir.resolve("apps").toString());
    assertThat(trusted()).containsExactly(A + " TentaclePassive null");
  }

  @Test
  void configure_trustTwice_isIdempotent() {
    cli.ok("configure", "--instance", "Web01", "--trust=" + A);
    String out = cli.ok("configure", "--instance", "Web01", "--trust=" + A.toLowerCase());
    assertThat(out).contains("is already trusted");
    assertThat(trusted()).containsExactly(A + " TentaclePassive null");
  }

  @Test
  void configure_appliesResetThenRemoveThenAdd_whateverTheFlagOrder() {
    cli.ok("configure", "--instance", "Web01", "--trust=" + A, "--trust=" + B);

    String out =
        cli.ok(
            "configure",
            "--instance",
            "Web01",
            "--trust=" + C,
            "--remove-trust=" + C,
            "--trust=" + A,
            "--reset-trust");

    // reset empties the list, remove C finds nothing, then C and A are added: B is gone.
    assertThat(trusted()).containsExactly(C + " TentaclePassive null", A + " TentaclePassive null");
    assertThat(out).contains("Removed all trusted servers: " + A + ", " + B + ".");
    assertThat(out.indexOf("Removed all")).isLessThan(out.indexOf("Trusting server " + C));
  }

  @Test
  void configure_removeThenAddOfOneThumbprint_keepsItTrusted() {
    cli.ok("configure", "--instance", "Web01", "--trust=" + A, "--trust=" + B);

    cli.ok("configure", "--instance", "Web01", "--trust=" + A, "--remove-trust=" + A);

    assertThat(trusted()).containsExactly(B + " TentaclePassive null", A + " TentaclePassive null");
  }

  @Test
  void configure_removeTrust_removesEveryEntryOfThatServer() {
    cli.ok("configure", "--instance", "Web01", "--trust=" + A, "--trust=" + B);
    cli.ok(
        "server-comms",
        "--instance",
        "Web01",
        "--thumbprint",
        A,
        "--style",
        "TentacleActive",
        "--host",
        "deploy");

    String out = cli.ok("configure", "--instance", "Web01", "--remove-trust", A);

    assertThat(out).contains("No longer trusting server " + A + ".");
    assertThat(trusted()).containsExactly(B + " TentaclePassive null");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--trust=NOTHEX",
        "--trust=ABCD",
        "--remove-trust=XYZ",
        "--port=0",
        "--port=65536",
        "--port=ten",
        "--listenIpAddress=999.1.1.1",
        "--listenIpAddress=deploy.example.com",
        "--noListen=maybe"
      })
  void configure_badValue_isBadUsageAndChangesNothing(String bad) {
    cli.ok("configure", "--instance", "Web01", "--trust=" + A);
    byte[] before = TentacleCli.bytes(config);

    // A valid change next to the bad one is not applied either.
    TentacleCli.Result r =
        cli.run("configure", "--instance", "Web01", "--reset-trust", "--trust=" + B, bad);

    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).startsWith("Error: ");
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void configure_malformedThumbprint_saysWhatIsWrong() {
    TentacleCli.Result r = cli.run("configure", "--instance", "Web01", "--trust=12G4");
    assertThat(r.err()).contains("'12G4' is not a thumbprint").contains("64 hexadecimal");
  }

  @Test
  void configure_nothingToChange_isBadUsage() {
    TentacleCli.Result r = cli.run("configure", "--instance", "Web01");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Nothing to change");
  }

  @Test
  void configure_unknownInstance_failsAndChangesNothing() {
    byte[] before = TentacleCli.bytes(config);
    TentacleCli.Result r = cli.run("configure", "--instance", "Other", "--trust=" + A);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void updateTrust_replacesTheThumbprintInEveryEntryKeepingTheAddress() {
    cli.ok("configure", "--instance", "Web01", "--trust=" + A, "--trust=" + B);
    cli.ok(
        "server-comms",
        "--instance",
        "Web01",
        "--thumbprint=" + A,
        "--style=TentacleActive",
        "--host=deploy",
        "--port=10999");

    String out =
        cli.ok(
            "update-trust",
            "--instance",
            "Web01",
            "--oldThumbprint",
            A.toLowerCase(),
            "--newThumbprint",
            C);

    assertThat(out)
        .contains("Replaced " + A + " with " + C + " in 1 trusted server entry.")
        .contains("These changes require a restart of the Tentacle.");
    assertThat(trusted())
        .containsExactly(C + " TentacleActive https://deploy:10999/", B + " TentaclePassive null");
  }

  @Test
  void updateTrust_ofAThumbprintNotTrusted_failsAndChangesNothing() {
    cli.ok("configure", "--instance", "Web01", "--trust=" + A);
    byte[] before = TentacleCli.bytes(config);

    TentacleCli.Result r =
        cli.run("update-trust", "--instance", "Web01", "--oldThumbprint", B, "--newThumbprint", C);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("does not trust " + B).contains("configure").contains(A);
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void updateTrust_malformedThumbprint_isBadUsage() {
    cli.ok("configure", "--instance", "Web01", "--trust=" + A);
    byte[] before = TentacleCli.bytes(config);
    TentacleCli.Result r =
        cli.run(
            "update-trust", "--instance", "Web01", "--oldThumbprint", A, "--newThumbprint", "zz");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void serverComms_polling_andBackToListening() {
    String out =
        cli.ok(
            "server-comms",
            "--instance",
            "Web01",
            "--thumbprint",
            A,
            "--style",
            "tentacleactive",
            "--host",
            "deploy.example.com");

    assertThat(out)
        .contains("Trusting server " + A)
        .contains("will poll server " + A + " at https://deploy.example.com:10943/")
        .contains("--noListen true");
    assertThat(trusted()).containsExactly(A + " TentacleActive https://deploy.example.com:10943/");

    cli.ok("server-comms", "--instance", "Web01", "--thumbprint", A, "--style", "TentaclePassive");
    assertThat(trusted()).containsExactly(A + " TentaclePassive null");
  }

  @Test
  void serverComms_badInput_isBadUsageAndChangesNothing() {
    byte[] before = TentacleCli.bytes(config);
    List<String[]> bad =
        List.of(
            new String[] {"--thumbprint", A, "--style", "TentacleActive"},
            new String[] {"--thumbprint", A, "--style", "Sideways", "--host", "h"},
            new String[] {"--thumbprint", "nope", "--style", "TentacleActive", "--host", "h"},
            new String[] {"--thumbprint", A, "--style", "TentacleActive", "--host", "h/x"},
            new String[] {
              "--thumbprint", A, "--style", "TentacleActive", "--host", "h", "--port", "0"
            });
    for (String[] args : bad) {
      List<String> all = new ArrayList<>(List.of("server-comms", "--instance", "Web01"));
      all.addAll(List.of(args));
      TentacleCli.Result r = cli.run(all.toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
    }
    assertThat(TentacleCli.bytes(config)).isEqualTo(before);
  }

  @Test
  void showConfiguration_listsSettingsAndNeverThePrivateKey() throws Exception {
    cli.ok("new-certificate", "--instance", "Web01");
    cli.ok("configure", "--instance", "Web01", "--trust=" + A);
    String protectedKey = settings().get("Tentacle.Certificate").asText();

    String text = cli.ok("show-configuration", "--instance", "Web01");
    String json = cli.ok("show-configuration", "--instance", "Web01", "--format", "json");

    assertThat(text)
        .contains("Tentacle.Communication.ListenPort = 10933")
        .contains("Tentacle.Certificate = <set; the private key is never shown>")
        .contains(A + " (TentaclePassive)");
    assertThat(text).doesNotContain(protectedKey).doesNotContain("sepia-machine:");
    assertThat(json).doesNotContain(protectedKey).doesNotContain("sepia-machine:");
    JsonNode node = new ObjectMapper().readTree(json);
    assertThat(node.get("Tentacle.Communication.TrustedServers").get(0).get("thumbprint").asText())
        .isEqualTo(A);
    assertThat(node.get("Tentacle.CertificateThumbprint").asText()).hasSize(64);
  }

  private JsonNode settings() {
    try {
      return new ObjectMapper().readTree(config.toFile());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> trusted() {
    List<String> out = new ArrayList<>();
    try {
      JsonNode list =
          new ObjectMapper()
              .readTree(settings().get("Tentacle.Communication.TrustedServers").asText());
      for (JsonNode e : list) {
        out.add(
            e.get("thumbprint").asText()
                + " "
                + e.get("communicationStyle").asText()
                + " "
                + (e.has("address") ? e.get("address").asText() : "null"));
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
