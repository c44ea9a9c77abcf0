package dev.sepia.comms.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HashCheckingInputStreamTest {

  private static final byte[] DATA = "hello sepia".getBytes(StandardCharsets.UTF_8);

  @Test
  void matchingData_readsToTheEnd() throws IOException {
    String actual = sha256(DATA);
    try (InputStream in =
        new HashCheckingInputStream(new ByteArrayInputStream(DATA), actual.toUpperCase())) {
      assertThat(in.readAllBytes()).isEqualTo(DATA);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void alteredData_failsAtTheEnd_sayingSo() throws IOException {
    byte[] altered = DATA.clone();
    altered[0] ^= 1;
    String expected = sha256(DATA);

    try (InputStream in =
        new HashCheckingInputStream(new ByteArrayInputStream(altered), expected)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("SHA-256 mismatch")
          .hasMessageContaining(expected);
    }
  }

  @Test
  void skippedBytes_areStillHashed() throws IOException {
    try (InputStream in =
        new HashCheckingInputStream(new ByteArrayInputStream(DATA), sha256(DATA))) {
      assertThat(in.skip(5)).isEqualTo(5);
      assertThat(in.readAllBytes()).hasSize(DATA.length - 5);
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
