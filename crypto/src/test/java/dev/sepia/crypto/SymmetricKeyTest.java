package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SymmetricKeyTest {

  @Test
  void shownKey_isReadBackAsTheSameKey() {
    SymmetricKey key = SymmetricKey.generate();
    String shown = InsecureKeyAccess.toBase64(key);

    assertThat(shown).hasSize(44).endsWith("=");
    SymmetricKey read = SymmetricKey.fromBase64(shown);
    assertThat(read.sameKeyAs(key)).isTrue();
    assertThat(read.keyId()).isEqualTo(key.keyId());
  }

  @Test
  void pastedKey_withSurroundingWhitespace_isAccepted() {
    SymmetricKey key = SymmetricKey.generate();

    assertThat(
            SymmetricKey.fromBase64("  " + InsecureKeyAccess.toBase64(key) + "\n").sameKeyAs(key))
        .isTrue();
  }

  @Test
  void aes128Key_isRefusedWithAMessageGivingTheSizes() {
    String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);

    assertThatThrownBy(() -> SymmetricKey.fromBase64(sixteenBytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "A Sepia key is 256 bits: 32 bytes, written as 44 base64 characters; this one is 16"
                + " bytes.");
  }

  @Test
  void notBase64_isRefusedWithoutEchoingTheInput() {
    String typo = "s3cr3t-k3y-with-a-typo!!";

    assertThatThrownBy(() -> SymmetricKey.fromBase64(typo))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The key is not valid base64.")
        .hasNoCause();
  }

  @Test
  void toString_showsTheIdButNoKeyMaterial() {
    SymmetricKey key = SymmetricKey.generate();
    String base64 = InsecureKeyAccess.toBase64(key);

    assertThat(key.toString())
        .isEqualTo("SymmetricKey{id=" + key.keyId() + ", <masked>}")
        .doesNotContain(base64)
        .doesNotContain(base64.substring(0, 8))
        .doesNotContain(HexFormat.of().formatHex(InsecureKeyAccess.rawBytes(key)).substring(0, 8));
  }

  @Test
  void keyId_isTheDocumentedDigestPrefix() throws Exception {
    byte[] raw = new byte[32];
    Arrays.fill(raw, (byte) 7);
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update("sepia-key-id-v1".getBytes(StandardCharsets.US_ASCII));
    String expected = HexFormat.of().formatHex(sha256.digest(raw), 0, 4);

    assertThat(SymmetricKey.fromBytes(raw).keyId()).isEqualTo(expected).matches("[0-9a-f]{8}");
  }

  @Test
  void generatedKeys_differ() {
    SymmetricKey first = SymmetricKey.generate();
    SymmetricKey second = SymmetricKey.generate();

    assertThat(first.sameKeyAs(second)).isFalse();
    assertThat(first.keyId()).isNotEqualTo(second.keyId());
  }

  @Test
  void changingExportedBytes_doesNotChangeTheKey() {
    SymmetricKey key = SymmetricKey.generate();
    String before = InsecureKeyAccess.toBase64(key);

    byte[] exported = InsecureKeyAccess.rawBytes(key);
    Arrays.fill(exported, (byte) 0);

    assertThat(InsecureKeyAccess.toBase64(key)).isEqualTo(before);
  }

  @Test
  void changingTheSourceBytes_doesNotChangeTheKey() {
    byte[] raw = new byte[32];
    SymmetricKey key = SymmetricKey.fromBytes(raw);
    raw[0] = 1;

    assertThat(InsecureKeyAccess.rawBytes(key)).containsOnly(0);
  }

  @Test
  void keys_haveNoValueEquality() throws Exception {
    assertThat(SymmetricKey.class.getMethod("equals", Object.class).getDeclaringClass())
        .isEqualTo(Object.class);
    assertThat(SymmetricKey.class.getMethod("hashCode").getDeclaringClass())
        .isEqualTo(Object.class);
  }
}
