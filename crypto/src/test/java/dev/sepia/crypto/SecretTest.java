package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void secret_printsMasked() {
    Secret secret = Secret.of("hunter2");

    assertThat(secret.toString()).isEqualTo("<masked>");
    assertThat("password=" + secret).doesNotContain("hunter2");
  }

  @Test
  void chars_returnsTheSecretAsACopy() {
    Secret secret = Secret.of("hunter2");
    char[] copy = secret.chars();
    copy[0] = 'X';

    assertThat(new String(secret.chars())).isEqualTo("hunter2");
  }

  @Test
  void wipedSecret_cannotBeReadAnyMore() {
    Secret secret = Secret.of("hunter2");
    secret.wipe();

    assertThatThrownBy(secret::chars)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining("hunter2");
  }
}
