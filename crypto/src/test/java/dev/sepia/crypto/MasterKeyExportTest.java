package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A master key exported under a passphrase: what opens it, and what it says about itself. */
class MasterKeyExportTest {
  private static final PassphraseBox CHEAP = new PassphraseBox(64, 1, 1);
  private static final char[] PASSPHRASE = "a long escrow passphrase".toCharArray();
  private static final SymmetricKey KEY = SymmetricKey.generate();

  @Test
  void anExport_opensWithItsPassphrase_andNamesItsKeyOnTheFirstLine() throws Exception {
    byte[] file = MasterKeyExport.sealWith(CHEAP, KEY, PASSPHRASE);

    assertThat(new String(file, StandardCharsets.ISO_8859_1))
        .startsWith("sepia-master-key-export/1 key=" + KEY.keyId() + "\nsepia-passphrase-box/1 ")
        .doesNotContain(InsecureKeyAccess.toBase64(KEY));
    assertThat(MasterKeyExport.keyIdOf(file)).isEqualTo(KEY.keyId());
    assertThat(MasterKeyExport.open(file, PASSPHRASE).sameKeyAs(KEY)).isTrue();
  }

  @Test
  void aWrongPassphrase_fails() {
    byte[] file = MasterKeyExport.sealWith(CHEAP, KEY, PASSPHRASE);
    assertThatThrownBy(() -> MasterKeyExport.open(file, "wrong".toCharArray()))
        .isInstanceOf(DecryptionFailedException.class)
        .hasMessage(PassphraseBox.FAILURE);
  }

  @Test
  void aChangedKeyIdOnTheFirstLine_fails() {
    byte[] file = MasterKeyExport.sealWith(CHEAP, KEY, PASSPHRASE);
    String other = SymmetricKey.generate().keyId();
    byte[] changed = file.clone();
    byte[] id = other.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(id, 0, changed, "sepia-master-key-export/1 key=".length(), id.length);
    assertThatThrownBy(() -> MasterKeyExport.open(changed, PASSPHRASE))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void aCutShortFile_fails() {
    byte[] file = MasterKeyExport.sealWith(CHEAP, KEY, PASSPHRASE);
    assertThatThrownBy(() -> MasterKeyExport.open(Arrays.copyOf(file, file.length - 1), PASSPHRASE))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void anotherFile_isNotTakenForAnExport() {
    byte[] box = CHEAP.sealWith(PASSPHRASE, new byte[32]);
    assertThatThrownBy(() -> MasterKeyExport.open(box, PASSPHRASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Sepia master key export");
  }
}
