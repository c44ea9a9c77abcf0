package dev.sepia.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {

  // Reference vector of the Argon2 reference implementation (phc-winner-argon2): password
  // "password", salt "somesalt", Argon2id, t=2, m=64 MiB, p=1.
  private static final String REFERENCE =
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

  @Test
  void rightPassword_logsIn_wrongPasswordDoesNot() {
    String stored = PasswordHasher.hash("correct horse".toCharArray());

    assertThat(PasswordHasher.verify("correct horse".toCharArray(), stored)).isTrue();
    assertThat(PasswordHasher.verify("correct hors".toCharArray(), stored)).isFalse();
  }

  @Test
  void samePasswordTwice_givesDifferentHashes_soEqualPasswordsDoNotShow() {
    String first = PasswordHasher.hash("correct horse".toCharArray());
    String second = PasswordHasher.hash("correct horse".toCharArray());

    assertThat(first).isNotEqualTo(second);
    assertThat(first)
        .matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}")
        .doesNotContain("correct horse");
  }

  @Test
  void hashWithOtherParameters_verifies_becauseParametersAreReadFromTheString() {
    assertThat(PasswordHasher.verify("password".toCharArray(), REFERENCE)).isTrue();
    assertThat(PasswordHasher.verify("passwore".toCharArray(), REFERENCE)).isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "password",
        "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=2$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=-2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=2,p=1$c29t$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFh",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$!!!",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc$",
      })
  void malformedStoredHash_refusesEveryPassword_withoutThrowing(String stored) {
    assertThat(PasswordHasher.verify("password".toCharArray(), stored)).isFalse();
  }
}
