package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AES-256-GCM against the published vectors of the GCM specification (test cases 13 to 16). */
class AesGcmTest {

  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest(name = "GCM spec test case {0}")
  @CsvSource({
    "13, 0000000000000000000000000000000000000000000000000000000000000000,"
        + " 000000000000000000000000, '', '', '', 530f8afbc74536b9a963b4f1c4cb738b",
    "14, 0000000000000000000000000000000000000000000000000000000000000000,"
        + " 000000000000000000000000, 00000000000000000000000000000000, '',"
        + " cea7403d4d606b6e074ec5d3baf39d18, d0d1c8a799996bf0265b98b5d48ab919",
    "15, feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308,"
        + " cafebabefacedbaddecaf888,"
        + " d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255, '',"
        + " 522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad,"
        + " b094dac5d93471bdec1a502270e3cc6c",
    "16, feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308,"
        + " cafebabefacedbaddecaf888,"
        + " d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39,"
        + " feedfacedeadbeeffeedfacedeadbeefabaddad2,"
        + " 522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662,"
        + " 76fc6ece0f4e1768cddf8853bb2d551b",
  })
  void publishedVector_encryptsAndDecryptsExactly(
      int testCase, String key, String nonce, String plaintext, String aad, String ct, String tag)
      throws Exception {
    AesGcm aead = new AesGcm(HEX.parseHex(key));
    byte[] expected = HEX.parseHex(nonce + ct + tag);

    assertThat(
            aead.encryptWithNonce(HEX.parseHex(nonce), HEX.parseHex(plaintext), HEX.parseHex(aad)))
        .as("test case %d", testCase)
        .isEqualTo(expected);
    assertThat(
            SymmetricKey.fromBytes(HEX.parseHex(key)).aead().decrypt(expected, HEX.parseHex(aad)))
        .isEqualTo(HEX.parseHex(plaintext));
  }

  @Test
  void wrongKey_failsWithTheSameMessageAndNoCause() throws Exception {
    byte[] ciphertext = SymmetricKey.generate().aead().encrypt(new byte[] {1, 2, 3}, new byte[0]);

    assertThatThrownBy(() -> SymmetricKey.generate().aead().decrypt(ciphertext, new byte[0]))
        .isExactlyInstanceOf(DecryptionFailedException.class)
        .hasMessage("decryption failed")
        .hasNoCause();
  }

  @Test
  void wrongAssociatedData_doesNotDecrypt() throws Exception {
    Aead aead = SymmetricKey.generate().aead();
    byte[] ciphertext = aead.encrypt(new byte[] {1, 2, 3}, new byte[] {1});

    assertThatThrownBy(() -> aead.decrypt(ciphertext, new byte[] {2}))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void truncatedCiphertext_failsLikeAnyOtherDamage() throws Exception {
    Aead aead = SymmetricKey.generate().aead();
    byte[] ciphertext = aead.encrypt(new byte[0], new byte[0]);

    for (int length = 0; length < ciphertext.length; length++) {
      byte[] truncated = java.util.Arrays.copyOf(ciphertext, length);
      assertThatThrownBy(() -> aead.decrypt(truncated, new byte[0]))
          .isExactlyInstanceOf(DecryptionFailedException.class)
          .hasMessage("decryption failed");
    }
  }

  @Test
  void ciphertext_isNonceThenCiphertextThenTag() throws Exception {
    byte[] ciphertext = SymmetricKey.generate().aead().encrypt(new byte[5], new byte[0]);

    assertThat(ciphertext).hasSize(AesGcm.NONCE_BYTES + 5 + AesGcm.TAG_BYTES);
  }

  @Test
  void decryptionFailure_cannotBeGivenACauseLater() {
    DecryptionFailedException failure = new DecryptionFailedException();

    assertThatThrownBy(() -> failure.initCause(new RuntimeException("key bytes")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(failure).hasNoCause();
  }
}
