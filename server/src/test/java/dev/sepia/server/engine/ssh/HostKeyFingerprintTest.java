package dev.sepia.server.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostKeyFingerprintTest {
  private static final String SHA256 = "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s";

  @Test
  void sha256_isNormalized_prefixAndPaddingOptional() {
    assertThat(HostKeyFingerprint.parse(SHA256)).hasToString(SHA256);
    assertThat(HostKeyFingerprint.parse(SHA256.substring(7) + "=")).hasToString(SHA256);
    assertThat(HostKeyFingerprint.parse("  sha256:" + SHA256.substring(7) + " "))
        .hasToString(SHA256);
  }

  @Test
  void md5_isNormalizedToLowerCase_prefixOptional() {
    String md5 = "MD5:16:27:AC:A5:76:28:2D:36:63:1B:56:4D:EB:DF:A6:48";
    assertThat(HostKeyFingerprint.parse(md5)).hasToString(md5.toLowerCase().replace("md5", "MD5"));
    assertThat(HostKeyFingerprint.parse(md5.substring(4)))
        .hasToString(md5.toLowerCase().replace("md5", "MD5"));
  }

  @Test
  void somethingElse_isRefused_showingTheExpectedForm() {
    for (String bad : new String[] {"", "SHA256:short", "MD5:12:34", "not a fingerprint"}) {
      assertThatThrownBy(() -> HostKeyFingerprint.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not an SSH host key fingerprint")
          .hasMessageContaining("ssh-keygen -lf -");
    }
  }
}
