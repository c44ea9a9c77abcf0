package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MasterKeyVerifierTest {

  private final SymmetricKey masterKey = SymmetricKey.generate();

  @Test
  void verifier_acceptsItsOwnKey() {
    String verifier = MasterKeyVerifier.create(masterKey);

    assertThat(MasterKeyVerifier.matches(verifier, masterKey)).isTrue();
    assertThat(
            MasterKeyVerifier.matches(
                verifier, SymmetricKey.fromBase64(InsecureKeyAccess.toBase64(masterKey))))
        .isTrue();
  }

  @Test
  void wrongMasterKey_isRefusedAtStartUp() {
    String verifier = MasterKeyVerifier.create(masterKey);

    assertThat(MasterKeyVerifier.matches(verifier, SymmetricKey.generate())).isFalse();
  }

  @Test
  void verifier_namesItsKey_andRevealsNothingElse() {
    String verifier = MasterKeyVerifier.create(masterKey);

    assertThat(verifier)
        .startsWith("sepia-verifier:v1:" + masterKey.keyId() + ":")
        .matches("sepia-verifier:v1:[0-9a-f]{8}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/]{43}=")
        .doesNotContain(InsecureKeyAccess.toBase64(masterKey));
    assertThat(MasterKeyVerifier.keyIdOf(verifier)).isEqualTo(masterKey.keyId());
  }

  @Test
  void twoVerifiersOfOneKey_differ_becauseOfTheSalt() {
    assertThat(MasterKeyVerifier.create(masterKey))
        .isNotEqualTo(MasterKeyVerifier.create(masterKey));
  }

  @Test
  void verifierWithForgedKeyId_stillRefusesTheWrongKey() {
    SymmetricKey wrongKey = SymmetricKey.generate();
    String verifier = MasterKeyVerifier.create(masterKey);
    String forged = verifier.replace(masterKey.keyId(), wrongKey.keyId());

    assertThat(MasterKeyVerifier.matches(forged, wrongKey)).isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "sepia-verifier:v1:",
        "sepia-verifier:v1:0123abcd",
        "sepia-verifier:v1:0123abcd:AAAA:AAAA",
        "sepia-verifier:v1:0123abcd:!!!:???",
        "sepia-verifier:v2:0123abcd:AAAAAAAAAAAAAAAAAAAAAA==:"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "sepia-verifier:v1:0123abcd:AAAAAAAAAAAAAAAAAAAAAA==:"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:extra",
      })
  void malformedVerifier_matchesNothing_withoutThrowing(String verifier) {
    assertThat(MasterKeyVerifier.matches(verifier, masterKey)).isFalse();
    assertThatThrownBy(() -> MasterKeyVerifier.keyIdOf(verifier))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
