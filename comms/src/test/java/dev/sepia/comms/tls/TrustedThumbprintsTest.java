package dev.sepia.comms.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedThumbprintsTest {

  private static final String UPPER = "0123456789ABCDEF".repeat(4);

  @Test
  void thumbprintsTypedInAnyForm_areTrustedInCanonicalForm() {
    String withColons = UPPER.toLowerCase().replaceAll("(..)(?!$)", "$1:");

    TrustedThumbprints trusted = TrustedThumbprints.of(List.of(withColons));

    assertThat(trusted.all()).containsExactly(UPPER);
    assertThat(trusted.isTrusted(UPPER)).isTrue();
    assertThat(trusted.isTrusted(UPPER.toLowerCase())).isTrue();
    assertThat(trusted.isTrusted("F" + UPPER.substring(1))).isFalse();
    assertThat(trusted.isTrusted(null)).isFalse();
  }

  @Test
  void somethingThatIsNotAThumbprint_isRefusedUpFront() {
    assertThatThrownBy(() -> TrustedThumbprints.of(List.of("not-a-thumbprint")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 hexadecimal characters");
  }
}
