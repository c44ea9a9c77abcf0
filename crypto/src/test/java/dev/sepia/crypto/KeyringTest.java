package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Rotation as an operator runs it: add a key, re-encrypt, drop the old key. */
class KeyringTest {

  private static final FieldLocation TOKEN = new FieldLocation("feed", "api_token", "Feeds-3");

  private final SymmetricKey oldKey = SymmetricKey.generate();
  private final SymmetricKey newKey = SymmetricKey.generate();

  @Test
  void afterRotation_oldValuesStillOpen_andNewValuesUseTheNewKey() throws Exception {
    Keyring before = Keyring.of(oldKey);
    String oldValue = FieldCipher.sealString(before, TOKEN, "token-1");

    Keyring after = before.withActive(newKey);
    String newValue = FieldCipher.sealString(after, TOKEN, "token-2");

    assertThat(FieldCipher.openString(after, TOKEN, oldValue)).isEqualTo("token-1");
    assertThat(FieldCipher.keyIdOf(newValue)).isEqualTo(newKey.keyId());
    assertThat(after.active()).isSameAs(newKey);
    assertThat(after.keyIds()).containsExactly(oldKey.keyId(), newKey.keyId());
  }

  @Test
  void rotation_leavesTheOriginalKeyringUnchanged() {
    Keyring before = Keyring.of(oldKey);

    before.withActive(newKey);

    assertThat(before.active()).isSameAs(oldKey);
    assertThat(before.keyIds()).containsExactly(oldKey.keyId());
  }

  @Test
  void afterDroppingTheOldKey_oldValuesNameTheMissingKey() throws Exception {
    Keyring before = Keyring.of(oldKey);
    String oldValue = FieldCipher.sealString(before, TOKEN, "token-1");

    Keyring dropped = before.withActive(newKey).without(oldKey.keyId());

    assertThat(dropped.keyIds()).containsExactly(newKey.keyId());
    assertThat(dropped.find(oldKey.keyId())).isEmpty();
    assertThatThrownBy(() -> FieldCipher.open(dropped, TOKEN, oldValue))
        .isInstanceOf(UnknownKeyException.class)
        .hasMessageContaining(oldKey.keyId());
  }

  @Test
  void activeKey_cannotBeDropped() {
    Keyring ring = Keyring.of(oldKey).withActive(newKey);

    assertThatThrownBy(() -> ring.without(newKey.keyId()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(newKey.keyId())
        .hasMessageContaining("active");
  }

  @Test
  void droppingAnAbsentKey_isHarmless_soARetriedStepSucceeds() {
    Keyring ring = Keyring.of(oldKey);

    assertThat(ring.without("00000000").keyIds()).containsExactly(oldKey.keyId());
  }

  @Test
  void anOpener_opensWhatItSealed_butTheActiveKeyStillSeals() throws Exception {
    String sealedElsewhere = FieldCipher.sealString(Keyring.of(newKey), TOKEN, "token-3");

    Keyring ring = Keyring.of(oldKey).withOpener(newKey);

    assertThat(FieldCipher.openString(ring, TOKEN, sealedElsewhere)).isEqualTo("token-3");
    assertThat(FieldCipher.keyIdOf(FieldCipher.sealString(ring, TOKEN, "token-4")))
        .isEqualTo(oldKey.keyId());
    assertThat(ring.keyIds()).containsExactly(oldKey.keyId(), newKey.keyId());
    assertThat(ring.withActive(newKey).active()).isSameAs(newKey);
  }

  @Test
  void takingTheSameOpenerTwice_isHarmless() {
    Keyring ring = Keyring.of(oldKey).withOpener(newKey).withOpener(newKey);

    assertThat(ring.keyIds()).containsExactly(oldKey.keyId(), newKey.keyId());
    assertThat(ring.active()).isSameAs(oldKey);
  }

  @Test
  void reactivatingAnOlderKey_keepsEveryKey() {
    Keyring ring = Keyring.of(oldKey).withActive(newKey).withActive(oldKey);

    assertThat(ring.active()).isSameAs(oldKey);
    assertThat(ring.keyIds()).containsExactly(oldKey.keyId(), newKey.keyId());
  }

  @Test
  void find_returnsTheKeyForItsId() {
    Keyring ring = Keyring.of(oldKey).withActive(newKey);

    assertThat(ring.find(oldKey.keyId())).containsSame(oldKey);
    assertThat(ring.find("ffffffff")).isEmpty();
  }

  @Test
  void toString_showsIdsOnly() {
    Keyring ring = Keyring.of(oldKey).withActive(newKey);

    assertThat(ring.toString())
        .contains(oldKey.keyId(), newKey.keyId())
        .doesNotContain(InsecureKeyAccess.toBase64(oldKey))
        .doesNotContain(InsecureKeyAccess.toBase64(newKey));
  }
}
