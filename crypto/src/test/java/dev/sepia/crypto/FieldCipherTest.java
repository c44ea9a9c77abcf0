package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Attacks on the raw stored value: mutation, moving, header rewriting, nonce reuse. */
class FieldCipherTest {

  private static final FieldLocation PASSWORD =
      new FieldLocation("variable", "sensitive_value", "Variables-17");
  private static final byte[] SECRET = "Pa55word!".getBytes(StandardCharsets.UTF_8);

  private final Keyring ring = Keyring.of(SymmetricKey.generate());

  @Test
  void sealedValue_opensAtItsLocation() throws Exception {
    String sealed = FieldCipher.seal(ring, PASSWORD, SECRET);

    assertThat(FieldCipher.open(ring, PASSWORD, sealed)).isEqualTo(SECRET);
  }

  @Test
  void sealedValue_namesVersionAndKey_andHidesThePlaintext() throws Exception {
    String sealed = FieldCipher.sealString(ring, PASSWORD, "Pa55word!");

    assertThat(sealed)
        .startsWith("sepia:v1:" + ring.active().keyId() + ":")
        .doesNotContain("Pa55word")
        .matches("sepia:v1:[0-9a-f]{8}:[A-Za-z0-9_-]+");
    assertThat(FieldCipher.keyIdOf(sealed)).isEqualTo(ring.active().keyId());
    assertThat(FieldCipher.openString(ring, PASSWORD, sealed)).isEqualTo("Pa55word!");
  }

  @Test
  void everySingleByteChange_isDetected() throws Exception {
    String sealed = FieldCipher.seal(ring, PASSWORD, SECRET);
    String header = sealed.substring(0, sealed.lastIndexOf(':') + 1);
    byte[] payload = Base64.getUrlDecoder().decode(sealed.substring(header.length()));

    for (int i = 0; i < payload.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] mutated = payload.clone();
        mutated[i] ^= (byte) (1 << bit);
        String tampered = header + Base64.getUrlEncoder().withoutPadding().encodeToString(mutated);

        assertThatThrownBy(() -> FieldCipher.open(ring, PASSWORD, tampered))
            .as("byte %d bit %d", i, bit)
            .isExactlyInstanceOf(DecryptionFailedException.class)
            .hasMessage("decryption failed")
            .hasNoCause();
      }
    }
  }

  @Test
  void copiedValue_onAnotherRow_doesNotDecrypt() throws Exception {
    String sealed = FieldCipher.seal(ring, PASSWORD, SECRET);
    FieldLocation otherRow = new FieldLocation("variable", "sensitive_value", "Variables-18");

    assertThatThrownBy(() -> FieldCipher.open(ring, otherRow, sealed))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void copiedValue_intoAnotherColumn_doesNotDecrypt() throws Exception {
    String sealed = FieldCipher.seal(ring, PASSWORD, SECRET);
    FieldLocation otherColumn = new FieldLocation("variable", "api_token", "Variables-17");

    assertThatThrownBy(() -> FieldCipher.open(ring, otherColumn, sealed))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void copiedValue_intoAnotherTable_doesNotDecrypt() throws Exception {
    String sealed = FieldCipher.seal(ring, PASSWORD, SECRET);
    FieldLocation otherTable = new FieldLocation("account", "sensitive_value", "Variables-17");

    assertThatThrownBy(() -> FieldCipher.open(ring, otherTable, sealed))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void tableAndColumnCase_doesNotMatter_becauseDatabasesFoldIdentifiers() throws Exception {
    String sealed = FieldCipher.seal(ring, PASSWORD, SECRET);
    FieldLocation upperCase = new FieldLocation("VARIABLE", "SENSITIVE_VALUE", "Variables-17");

    assertThat(FieldCipher.open(ring, upperCase, sealed)).isEqualTo(SECRET);
  }

  @Test
  void rewrittenHeader_pointingAtAnotherKeyInTheRing_doesNotDecrypt() throws Exception {
    SymmetricKey oldKey = ring.active();
    Keyring rotated = ring.withActive(SymmetricKey.generate());
    String sealed = FieldCipher.seal(rotated, PASSWORD, SECRET);
    String rewritten = sealed.replace(rotated.active().keyId(), oldKey.keyId());

    assertThatThrownBy(() -> FieldCipher.open(rotated, PASSWORD, rewritten))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void headerKeyId_isAuthenticated_notJustUsedToPickTheKey() throws Exception {
    // A payload made by the right key, but authenticated for a different header, must not open
    // under the right header: the header is part of the associated data.
    SymmetricKey key = ring.active();
    byte[] payload = key.aead().encrypt(SECRET, FieldCipher.associatedData(PASSWORD, "00000000"));
    String forged =
        "sepia:v1:"
            + key.keyId()
            + ":"
            + Base64.getUrlEncoder().withoutPadding().encodeToString(payload);

    assertThatThrownBy(() -> FieldCipher.open(ring, PASSWORD, forged))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void valueSealedWithAnotherKey_namesTheMissingKey() throws Exception {
    Keyring otherServer = Keyring.of(SymmetricKey.generate());
    String sealed = FieldCipher.seal(otherServer, PASSWORD, SECRET);

    assertThatThrownBy(() -> FieldCipher.open(ring, PASSWORD, sealed))
        .isExactlyInstanceOf(UnknownKeyException.class)
        .hasMessage(
            "The value was sealed with key "
                + otherServer.active().keyId()
                + ", which is not in this keyring");
  }

  @Test
  void tenThousandSeals_neverReuseANonce() throws Exception {
    Set<String> nonces = new HashSet<>();
    Set<String> values = new HashSet<>();
    int count = 10_000;
    for (int i = 0; i < count; i++) {
      String sealed = FieldCipher.seal(ring, PASSWORD, SECRET);
      byte[] payload = Base64.getUrlDecoder().decode(sealed.substring(sealed.lastIndexOf(':') + 1));
      nonces.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(payload, 12)));
      values.add(sealed);
    }

    assertThat(nonces).hasSize(count);
    assertThat(values).hasSize(count);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "plain text",
        "sepia:v1:",
        "sepia:v1:0123abcd:",
        "sepia:v1:0123abcd",
        "sepia:v2:0123abcd:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "sepia:v1:0123ABCD:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "sepia:v1:0123abc:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "sepia:v1:0123abcd:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "sepia:v1:0123abcd:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
        "sepia:v1:0123abcd:AAAAAAAAAAAAAAAAAAAAAAAA+AAAAAAAAAAAAAA",
        "sepia:v1:0123abcd:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      })
  void malformedValue_failsLikeADamagedOne(String value) {
    assertThatThrownBy(() -> FieldCipher.open(ring, PASSWORD, value))
        .isExactlyInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed")
        .hasNoCause();
  }

  @Test
  void nonCanonicalEncoding_ofAValidValue_isRefused() throws Exception {
    // An empty plaintext gives 28 payload bytes: the last base64 group holds one byte, so the
    // final character carries 4 unused bits, and flipping one of them spells the same bytes.
    String sealed = FieldCipher.seal(ring, PASSWORD, new byte[0]);
    char last = sealed.charAt(sealed.length() - 1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
    String respelled = sealed.substring(0, sealed.length() - 1) + sibling;

    assertThatThrownBy(() -> FieldCipher.open(ring, PASSWORD, respelled))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void scan_recognisesSealedValues_andNothingElse() throws Exception {
    String sealed = FieldCipher.seal(ring, PASSWORD, SECRET);

    assertThat(FieldCipher.looksSealed(sealed)).isTrue();
    assertThat(FieldCipher.looksSealed(FieldCipher.seal(ring, PASSWORD, new byte[0]))).isTrue();
    assertThat(FieldCipher.looksSealed(null)).isFalse();
    assertThat(FieldCipher.looksSealed("Pa55word!")).isFalse();
    assertThat(FieldCipher.looksSealed("sepia:v1:")).isFalse();
    assertThat(FieldCipher.looksSealed("sepia:v1:0123abcd:short")).isFalse();
    assertThat(FieldCipher.looksSealed(sealed + "=")).isFalse();
  }

  @Test
  void keyIdOf_aMalformedValue_explainsTheExpectedShape() {
    assertThatThrownBy(() -> FieldCipher.keyIdOf("Pa55word!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sepia:v1:<key id>:<data>")
        .hasMessageNotContaining("Pa55word");
  }
}
