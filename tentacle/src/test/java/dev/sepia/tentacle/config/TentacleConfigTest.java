package dev.sepia.tentacle.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sepia.crypto.CertificateWithKey;
import dev.sepia.crypto.Certificates;
import dev.sepia.crypto.MachineKey;
import dev.sepia.platform.cli.OperatorException;
import dev.sepia.platform.config.ConfigFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TentacleConfigTest {
  @TempDir Path dir;

  @Test
  void identity_roundTripsThroughTheConfigFile() throws Exception {
    Path file = dir.resolve("t.json");
    MachineKey key = MachineKey.loadOrCreate(dir.resolve("machine"));
    TentacleConfig config = new TentacleConfig("T", ConfigFile.createNew(file), key);
    CertificateWithKey identity = Certificates.generateSelfSigned("Sepia Tentacle");
    config.setCertificate(identity);
    config.save();

    TentacleConfig reopened = new TentacleConfig("T", ConfigFile.load(file), key);

    assertThat(reopened.thumbprint()).contains(identity.thumbprint());
    CertificateWithKey loaded = reopened.identity();
    assertThat(loaded.thumbprint()).isEqualTo(identity.thumbprint());
    assertThat(loaded.privateKey().getEncoded()).isEqualTo(identity.privateKey().getEncoded());
    // The private key is not in the file in the clear.
    String text = Files.readString(file);
    assertThat(text)
        .doesNotContain(
            java.util.Base64.getEncoder().encodeToString(identity.privateKey().getEncoded()));
  }

  @Test
  void identity_onAnotherMachine_saysTheConfigWasCopied() throws Exception {
    Path file = dir.resolve("t.json");
    TentacleConfig config =
        new TentacleConfig(
            "T", ConfigFile.createNew(file), MachineKey.loadOrCreate(dir.resolve("machine-a")));
    config.setCertificate(Certificates.generateSelfSigned("Sepia Tentacle"));
    config.save();

    TentacleConfig elsewhere =
        new TentacleConfig(
            "T", ConfigFile.load(file), MachineKey.loadOrCreate(dir.resolve("machine-b")));

    assertThat(elsewhere.thumbprint()).isPresent(); // public parts still readable
    assertThatThrownBy(elsewhere::identity)
        .isInstanceOf(OperatorException.class)
        .hasMessageContaining("cannot be opened on this machine")
        .hasMessageContaining("copied from another machine")
        .hasMessageContaining("new-certificate --instance T");
  }

  @Test
  void defaults_whenSettingsAreAbsent() throws Exception {
    Path file = dir.resolve("t.json");
    TentacleConfig config =
        new TentacleConfig(
            "T", ConfigFile.createNew(file), MachineKey.loadOrCreate(dir.resolve("m")));
    assertThat(config.listenPort()).isEqualTo(10933);
    assertThat(config.listenIpAddress()).isEqualTo("0.0.0.0");
    assertThat(config.noListen()).isFalse();
    assertThat(config.home()).isEqualTo(dir);
    assertThat(config.app()).isEqualTo(dir.resolve("app"));
    assertThat(config.trustedServers().isEmpty()).isTrue();
    assertThat(config.hasCertificate()).isFalse();
    assertThatThrownBy(config::identity).hasMessageContaining("new-certificate");
  }

  @Test
  void aDamagedTrustList_namesTheSettingAndTheWayOut() throws Exception {
    Path file = dir.resolve("t.json");
    Files.writeString(file, "{\"Tentacle.Communication.TrustedServers\": \"[{oops\"}");
    TentacleConfig config =
        new TentacleConfig("T", ConfigFile.load(file), MachineKey.loadOrCreate(dir.resolve("m")));
    assertThatThrownBy(config::trustedServers)
        .hasMessageContaining("Tentacle.Communication.TrustedServers")
        .hasMessageContaining("--reset-trust");
  }

  @Test
  void ipAddresses_areLiteralsOnly() {
    assertThat(TentacleConfig.parseIpAddress("0.0.0.0").getHostAddress()).isEqualTo("0.0.0.0");
    assertThat(TentacleConfig.parseIpAddress("::").isAnyLocalAddress()).isTrue();
    assertThat(TentacleConfig.parseIpAddress("[::1]").isLoopbackAddress()).isTrue();
    for (String bad : new String[] {"localhost", "256.0.0.1", "1.2.3", "", "1.2.3.4.5", "::g"}) {
      assertThatThrownBy(() -> TentacleConfig.parseIpAddress(bad))
          .as(bad)
          .isInstanceOf(OperatorException.class);
    }
  }
}
