package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Sealing with a passphrase: what opens, and that everything else fails the same way. */
class PassphraseBoxTest {

  // Small parameters keep the tests fast; the defaults are exercised once below.
  private static final PassphraseBox BOX = new PassphraseBox(64, 1, 1);
  private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
  private static final byte[] PLAINTEXT =
      "{\"DbPassword\":\"hunter2\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void sealedWithDefaults_opensWithTheSamePassphrase() throws Exception {
    byte[] sealed = PassphraseBox.seal(PASSPHRASE, PLAINTEXT);

    assertThat(PassphraseBox.open(PASSPHRASE, sealed)).isEqualTo(PLAINTEXT);
    assertThat(headerOf(sealed))
        .startsWith("sepia-passphrase-box/1 argon2id m=65536 t=3 p=1 salt=");
  }

  @Test
  void sealedTwice_givesDifferentBytes() {
    assertThat(BOX.sealWith(PASSPHRASE, PLAINTEXT))
        .isNotEqualTo(BOX.sealWith(PASSPHRASE, PLAINTEXT));
  }

  @Test
  void sealed_doesNotContainThePlaintextOrPassphrase() {
    String sealed = new String(BOX.sealWith(PASSPHRASE, PLAINTEXT), StandardCharsets.ISO_8859_1);

    assertThat(sealed).doesNotContain("hunter2").doesNotContain("horse");
  }

  @Test
  void wrongPassphrase_failsWithAMessageThatSaysWhatToCheck() {
    byte[] sealed = BOX.sealWith(PASSPHRASE, PLAINTEXT);

    assertThatThrownBy(
            () -> PassphraseBox.open("correct horse battery stapler".toCharArray(), sealed))
        .isExactlyInstanceOf(DecryptionFailedException.class)
        .hasMessage("wrong passphrase or damaged data")
        .hasNoCause();
  }

  @Test
  void everyFlippedByte_fails() {
    byte[] sealed = BOX.sealWith(PASSPHRASE, "short".getBytes(StandardCharsets.UTF_8));

    for (int i = 0; i < sealed.length; i++) {
      for (int bit : new int[] {0x01, 0x80}) {
        byte[] damaged = sealed.clone();
        damaged[i] ^= (byte) bit;
        int index = i;
        assertThatThrownBy(() -> PassphraseBox.open(PASSPHRASE, damaged))
            .as("byte %d flipped with %02x", index, bit)
            .isExactlyInstanceOf(DecryptionFailedException.class)
            .hasMessage(PassphraseBox.FAILURE);
      }
    }
  }

  @Test
  void everyTruncation_fails() {
    byte[] sealed = BOX.sealWith(PASSPHRASE, "short".getBytes(StandardCharsets.UTF_8));

    for (int length = 0; length < sealed.length; length++) {
      byte[] cut = Arrays.copyOf(sealed, length);
      assertThatThrownBy(() -> PassphraseBox.open(PASSPHRASE, cut))
          .as("cut to %d bytes", length)
          .isExactlyInstanceOf(DecryptionFailedException.class);
    }
  }

  @Test
  void extraBytesAppended_fail() {
    byte[] sealed = BOX.sealWith(PASSPHRASE, PLAINTEXT);
    byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);

    assertThatThrownBy(() -> PassphraseBox.open(PASSPHRASE, longer))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void headerWithOtherParameters_fails() {
    byte[] sealed = BOX.sealWith(PASSPHRASE, PLAINTEXT);
    // Same length, one parameter changed: the header is authenticated, so this must not open.
    byte[] changed = replaceInHeader(sealed, " m=64 ", " m=65 ");

    assertThatThrownBy(() -> PassphraseBox.open(PASSPHRASE, changed))
        .isExactlyInstanceOf(DecryptionFailedException.class)
        .hasMessage(PassphraseBox.FAILURE);
  }

  @Test
  void headerAskingForAbsurdMemory_isRefusedBeforeDeriving() {
    byte[] sealed = BOX.sealWith(PASSPHRASE, PLAINTEXT);
    // 5 GiB: deriving would try to allocate it; refusing must come first (the test would run out
    // of memory or take very long otherwise).
    byte[] hostile = replaceInHeader(sealed, " m=64 ", " m=5242880 ");

    assertThatThrownBy(() -> PassphraseBox.open(PASSPHRASE, hostile))
        .isExactlyInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(
            () -> PassphraseBox.open(PASSPHRASE, replaceInHeader(sealed, " t=1 ", " t=1000000 ")))
        .isExactlyInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(
            () -> PassphraseBox.open(PASSPHRASE, replaceInHeader(sealed, " p=1 ", " p=255 ")))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void otherFormatVersion_fails() {
    byte[] sealed = BOX.sealWith(PASSPHRASE, PLAINTEXT);

    assertThatThrownBy(
            () -> PassphraseBox.open(PASSPHRASE, replaceInHeader(sealed, "box/1 ", "box/2 ")))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void notABoxAtAll_fails() {
    assertThatThrownBy(() -> PassphraseBox.open(PASSPHRASE, new byte[1000]))
        .isExactlyInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(
            () -> PassphraseBox.open(PASSPHRASE, "hello\n".getBytes(StandardCharsets.US_ASCII)))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void emptyPlaintext_roundTrips() throws Exception {
    byte[] sealed = BOX.sealWith(PASSPHRASE, new byte[0]);

    assertThat(PassphraseBox.open(PASSPHRASE, sealed)).isEmpty();
  }

  @Test
  void emptyPassphrase_roundTripsAndDiffersFromAnother() throws Exception {
    byte[] sealed = BOX.sealWith(new char[0], PLAINTEXT);

    assertThat(PassphraseBox.open(new char[0], sealed)).isEqualTo(PLAINTEXT);
    assertThatThrownBy(() -> PassphraseBox.open(" ".toCharArray(), sealed))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void unicodePassphrase_opensAndIsNotConfusedWithASimilarOne() throws Exception {
    byte[] sealed = BOX.sealWith("Grüße, 世界 🔑".toCharArray(), PLAINTEXT);

    assertThat(PassphraseBox.open("Grüße, 世界 🔑".toCharArray(), sealed)).isEqualTo(PLAINTEXT);
    assertThatThrownBy(() -> PassphraseBox.open("Gruße, 世界 🔑".toCharArray(), sealed))
        .isExactlyInstanceOf(DecryptionFailedException.class);
    assertThatThrownBy(() -> PassphraseBox.open("Gr?ße, ?? ?".toCharArray(), sealed))
        .isExactlyInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void composedAndDecomposedAccents_openTheSameBox() throws Exception {
    // "é" as one code point (as most keyboards type it) and as "e" + combining accent (macOS
    // files).
    byte[] sealed = BOX.sealWith("caf\u00e9".toCharArray(), PLAINTEXT);

    assertThat(PassphraseBox.open("cafe\u0301".toCharArray(), sealed)).isEqualTo(PLAINTEXT);
  }

  @Test
  void sealingWithOutOfRangeParameters_isRefused() {
    assertThatThrownBy(() -> new PassphraseBox(5 * 1024 * 1024, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("m=5242880");
    assertThatThrownBy(() -> new PassphraseBox(64, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PassphraseBox(8, 1, 4))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void passphraseArray_isLeftAsTheCallerGaveIt() throws Exception {
    char[] passphrase = "keep me".toCharArray();
    byte[] sealed = BOX.sealWith(passphrase, PLAINTEXT);

    assertThat(passphrase).containsExactly("keep me".toCharArray());
    assertThat(PassphraseBox.open(passphrase, sealed)).isEqualTo(PLAINTEXT);
    assertThat(passphrase).containsExactly("keep me".toCharArray());
  }

  private static String headerOf(byte[] sealed) {
    String text = new String(sealed, StandardCharsets.ISO_8859_1);
    return text.substring(0, text.indexOf('\n'));
  }

  private static byte[] replaceInHeader(byte[] sealed, String from, String to) {
    String header = headerOf(sealed) + "\n";
    assertThat(header).contains(from);
    byte[] newHeader = header.replace(from, to).getBytes(StandardCharsets.US_ASCII);
    byte[] body = Arrays.copyOfRange(sealed, header.length(), sealed.length);
    byte[] result = Arrays.copyOf(newHeader, newHeader.length + body.length);
    System.arraycopy(body, 0, result, newHeader.length, body.length);
    return result;
  }
}
